"""The merchant scans a voucher's QR code at the counter where the browser has no BarcodeDetector
(Safari on iOS, Firefox): jsQR, served from the project's npm copy, reads the camera picture.

Chromium gets a fake camera that films the QR code out of the PDF the buyer was mailed.
"""

import io

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from payments import services as payment_services
from payments_demo.provider import DemoProvider
from support import services
from tests.e2e.conftest import CHROMIUM, PHONE, VOUCHER_CODE, Visit, sign_in_at_the_counter

pytestmark = pytest.mark.django_db(transaction=True)

CAMERA = (640, 480)  # the fake camera's picture
# What Safari on iOS and Firefox lack: the page must fall back to jsQR.
NO_BARCODE_DETECTOR = "delete window.BarcodeDetector;"


def bought_voucher(kiosk) -> tuple[str, bytes]:
    """A 25 € voucher bought and paid with the demo provider: its code and the mailed PDF."""
    mail.outbox.clear()
    buyer = services.Buyer(name="Erika Mustermann", email="erika@example.org")
    order = services.order_voucher(merchant=kiosk, amount=2500, buyer=buyer, site=kiosk.get_site())
    payment_services.payment_start(order=order, return_url="http://testserver/")
    payment = order.payments.latest("created_at")
    DemoProvider.decide(payment.reference, pay=True)
    payment_services.payment_sync(payment=payment)
    [message] = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    [(_filename, pdf, _mimetype)] = message.attachments
    return VOUCHER_CODE.search(message.body).group(0).replace(" ", ""), pdf


def qr_code_in(pdf: bytes) -> Image.Image:
    """The QR code printed on the voucher: the PDF's square black-and-white image."""
    images = [image.image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    [qr] = [
        image.convert("L")
        for image in images
        if image.width == image.height
        and {value for _count, value in image.convert("L").getcolors() or []} <= {0, 255}
    ]
    return qr


def camera_film(qr: Image.Image, path) -> None:
    """A Y4M file for Chromium's fake camera: the voucher's QR code on a counter, still."""
    width, height = CAMERA
    picture = Image.new("L", CAMERA, 90)  # a dark counter top
    paper = Image.new("L", (340, 340), 245)  # the voucher, a little off-white
    paper.paste(qr.resize((300, 300), Image.Resampling.NEAREST), (20, 20))
    picture.paste(paper, ((width - 340) // 2, (height - 340) // 2))
    luma = picture.tobytes()
    chroma = bytes([128]) * (width // 2 * height // 2)  # grey: no colour
    with open(path, "wb") as film:
        film.write(f"YUV4MPEG2 W{width} H{height} F25:1 Ip A1:1 C420jpeg\n".encode())
        for _frame in range(5):
            film.write(b"FRAME\n" + luma + chroma + chroma)


def test_scanning_the_qr_code_without_barcode_detector_shows_the_balance(
    kiosk, live_server, browser, tmp_path
):
    base = live_server.url
    code, pdf = bought_voucher(kiosk)
    film = tmp_path / "voucher.y4m"
    camera_film(qr_code_in(pdf), film)

    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={film}",
        ],
    )
    try:
        tab = Visit(camera_browser, base, PHONE)
        tab.context.grant_permissions(["camera"], origin=base)
        tab.context.add_init_script(NO_BARCODE_DETECTOR)
        scripts = []
        tab.page.on("request", lambda request: scripts.append(request.url))
        till = sign_in_at_the_counter(tab.page, base)
        assert till.evaluate("'BarcodeDetector' in window") is False

        # The scan button is offered although the browser cannot read QR codes itself.
        till.get_by_role("button", name="QR-Code scannen").click()
        # jsQR reads the camera picture; the page looks the code up as if it had been typed.
        expect(till.get_by_text("Guthaben: 25\N{NO-BREAK SPACE}€")).to_be_visible()
        heading = till.get_by_role("heading", name=f"Gutschein mit Endung {code[-4:]}")
        expect(heading).to_be_visible()
        tab.screenshot("redeem-scanned-with-jsqr-phone")
        # jsQR came from the project's own static files (npm), not from a CDN.
        assert base + "/static/vendor/jsqr/jsQR.js" in scripts
        assert tab.console_errors == [], tab.console_errors
        assert tab.foreign_requests == []
        tab.context.close()
    finally:
        camera_browser.close()


def test_without_a_camera_the_code_is_typed(kiosk, live_server, visit):
    """A refused (or missing) camera: the page says so and the typed code still works; a
    hurried double tap asks for the camera once."""
    base = live_server.url
    code, _pdf = bought_voucher(kiosk)
    tab = visit(PHONE)
    tab.context.add_init_script(
        NO_BARCODE_DETECTOR
        + "window.cameraAsked = 0; navigator.mediaDevices.getUserMedia = () => {"
        + " window.cameraAsked += 1; return new Promise((_, refuse) => setTimeout(() =>"
        + " refuse(new DOMException('Permission denied', 'NotAllowedError')), 300)); };"
    )
    till = sign_in_at_the_counter(tab.page, base)
    till.get_by_role("button", name="QR-Code scannen").dblclick()
    expect(till.get_by_role("alert")).to_have_text(
        "Die Kamera konnte nicht gestartet werden. Bitte tippen Sie den Code ein."
    )
    assert till.evaluate("window.cameraAsked") == 1
    expect(till.get_by_label("Gutscheincode")).to_be_focused()
    till.get_by_label("Gutscheincode").fill(code.lower())
    till.get_by_role("button", name="Suchen").click()
    expect(till.get_by_text("Guthaben: 25\N{NO-BREAK SPACE}€")).to_be_visible()
    assert tab.console_errors == [], tab.console_errors
    assert tab.foreign_requests == []
