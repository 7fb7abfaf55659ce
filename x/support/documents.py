"""The voucher as a printable PDF: merchant, value, code in groups and as a QR code, validity
and how to redeem it. Built with fpdf2; the text follows the active language (German unless
the buyer's request chose another)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import segno
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from core.urls import absolute_url
from payments.money import format_money

from . import codes
from .models import Voucher

logger = logging.getLogger(__name__)

# CI installs only fonts-dejavu-core: Sans and Sans-Bold are all we may count on.
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT = "DejaVu"
CORE_FONT = "Helvetica"


def _find_font(name: str) -> Path | None:
    return next((d / name for d in FONT_DIRS if (d / name).is_file()), None)


class _VoucherPDF(FPDF):
    """An FPDF that writes with DejaVu where installed, else with the core Helvetica and text
    reduced to Windows-1252 (which still has € and the umlauts)."""

    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        regular, bold = _find_font("DejaVuSans.ttf"), _find_font("DejaVuSans-Bold.ttf")
        if regular and bold:
            self.add_font(FONT, "", regular)
            self.add_font(FONT, "B", bold)
            self.family = FONT
        else:
            self.core_fonts_encoding = "windows-1252"
            self.family = CORE_FONT
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(20, 20, 20)

    def safe(self, text: str) -> str:
        if self.family == FONT:
            return text
        # Core fonts cannot draw what the encoding lacks: a '?' beats an exception.
        return text.encode("windows-1252", errors="replace").decode("windows-1252")

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def line_of(self, text: str, size: float = 11, bold: bool = False, height: float = 6) -> None:
        self.font(size, bold)
        self.multi_cell(
            0, height, self.safe(text), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )


def _qr_png(code: str) -> io.BytesIO:
    """The bare code (no spaces) as a QR code: what a till's scanner types into the form."""
    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    buffer.seek(0)
    return buffer


def _logo_png(voucher: Voucher) -> io.BytesIO | None:
    logo = voucher.merchant.logo
    if logo is None:
        return None
    try:
        rendition = logo.get_rendition("max-600x300|format-png")
        with rendition.file.open("rb") as handle:
            return io.BytesIO(handle.read())
    except Exception:
        # A broken or missing logo file must not cost the buyer their voucher.
        logger.warning("Logo of merchant %s left off the voucher PDF", voucher.merchant_id)
        return None


def balance_url(voucher: Voucher) -> str:
    """The balance check, at the configured base URL of the city the voucher was bought in."""
    return absolute_url(reverse("support:voucher_balance"), site=voucher.order.site)


def voucher_pdf(voucher: Voucher, code: str) -> bytes:
    """The voucher document. `code` is the plain code: only its hash is in the database."""
    code = codes.normalise(code)
    order = voucher.order
    merchant = voucher.merchant
    pdf = _VoucherPDF()
    pdf.set_title(_("Voucher for %(merchant)s") % {"merchant": merchant.title})
    pdf.set_creator("portal")
    pdf.add_page()

    logo = _logo_png(voucher)
    if logo is not None:
        try:
            pdf.image(logo, x=Align.C, h=25, keep_aspect_ratio=True)
            pdf.ln(4)
        except Exception:
            logger.warning("Logo of merchant %s could not be placed", voucher.merchant_id)

    pdf.set_text_color(90, 90, 90)
    pdf.line_of(_("Voucher"), size=12, bold=True)
    pdf.set_text_color(0, 0, 0)
    pdf.line_of(merchant.title, size=22, bold=True, height=10)
    address = getattr(merchant, "address_line", "")
    if address and getattr(merchant, "street", ""):
        pdf.line_of(address, size=10)
    pdf.ln(6)

    pdf.line_of(_("Value"), size=10)
    pdf.line_of(format_money(voucher.value, voucher.currency), size=30, bold=True, height=14)
    pdf.ln(4)

    if order.support.recipient_name:
        pdf.line_of(_("For %(name)s") % {"name": order.support.recipient_name}, size=13, bold=True)
    if order.support.gift_message:
        pdf.line_of(f"„{order.support.gift_message.strip()}“", size=12, height=6)
    if order.support.recipient_name or order.support.gift_message:
        pdf.ln(4)

    # Code and QR code side by side: the QR code on the right, the code in groups on the left.
    top = pdf.get_y()
    qr_size = 45
    pdf.image(_qr_png(code), x=pdf.w - pdf.r_margin - qr_size, y=top, w=qr_size, h=qr_size)
    text_width = pdf.w - pdf.l_margin - pdf.r_margin - qr_size - 5
    pdf.font(10)
    pdf.multi_cell(text_width, 6, pdf.safe(_("Voucher code")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.font(17, bold=True)
    pdf.multi_cell(text_width, 9, codes.printable(code), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.font(10)
    valid = _("Valid until %(date)s") % {"date": date_format(voucher.valid_until, "DATE_FORMAT")}
    pdf.multi_cell(text_width, 6, pdf.safe(valid), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), top + qr_size) + 8)

    pdf.line_of(_("How to redeem"), size=12, bold=True)
    pdf.line_of(
        _(
            "Show this voucher in the shop, printed or on your phone. %(merchant)s can redeem "
            "it in full or in part; what is left stays on the voucher until it expires."
        )
        % {"merchant": merchant.title},
        size=10,
        height=5,
    )
    pdf.ln(2)
    pdf.line_of(
        _("Check the remaining balance at any time: %(url)s") % {"url": balance_url(voucher)},
        size=10,
        height=5,
    )
    pdf.ln(2)
    pdf.set_text_color(90, 90, 90)
    pdf.line_of(
        _("Keep the code safe: whoever has it can spend the voucher."),
        size=9,
        height=5,
    )
    return bytes(pdf.output())
