/*
 * The merchant's redeem page: progressive enhancement only. Without JavaScript, or where the
 * browser has no BarcodeDetector, the code is typed; the scan button stays hidden.
 * The camera picture never leaves the phone: BarcodeDetector runs in the browser.
 */
(function () {
  "use strict";

  var ALPHABET = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{20}$/;

  // A second tap must not send a redemption twice (the server refuses it too).
  document.querySelectorAll("form[data-support-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
    });
  });

  var form = document.querySelector("form[data-support-lookup]");
  if (!form) return;
  var scanButton = form.querySelector("[data-support-scan]");
  var scanner = form.querySelector("[data-support-scanner]");
  var video = scanner.querySelector("video");
  var status = scanner.querySelector("[data-support-scan-status]");
  var stopButton = scanner.querySelector("[data-support-scan-stop]");
  var error = form.querySelector("[data-support-scan-error]");
  var input = form.querySelector("input[name=code]");
  var stream = null;
  var running = false;

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia) {
    return; // no scanner: the button stays hidden
  }

  /** The voucher code in a QR code's text: the code itself, or a link that carries it. */
  function codeFrom(text) {
    var candidates = [text];
    try {
      var url = new URL(text);
      candidates.unshift(url.searchParams.get("code") || "", url.hash.slice(1));
      candidates.push(url.pathname.split("/").filter(Boolean).pop() || "");
    } catch (e) {
      // not a link: the text is the code
    }
    for (var i = 0; i < candidates.length; i++) {
      var code = (candidates[i] || "").toUpperCase().replace(/[^0-9A-Z]/g, "");
      if (ALPHABET.test(code)) return code;
    }
    return null;
  }

  function stop() {
    running = false;
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.srcObject = null;
    scanner.hidden = true;
    scanButton.hidden = false;
  }

  function fail() {
    stop();
    error.hidden = false;
    input.focus();
  }

  function start(detector) {
    error.hidden = true;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (mediaStream) {
        stream = mediaStream;
        video.srcObject = stream;
        scanner.hidden = false;
        scanButton.hidden = true;
        running = true;
        stopButton.focus();
        return video.play().then(function () { scan(detector); });
      })
      .catch(fail);
  }

  function scan(detector) {
    if (!running) return;
    detector
      .detect(video)
      .then(function (found) {
        for (var i = 0; i < found.length; i++) {
          var code = codeFrom(found[i].rawValue);
          if (code) {
            stop();
            input.value = code;
            form.requestSubmit ? form.requestSubmit() : form.submit();
            return;
          }
        }
        if (found.length) status.textContent = status.dataset.unknown || status.textContent;
        window.setTimeout(function () { scan(detector); }, 200);
      })
      .catch(fail);
  }

  window.BarcodeDetector.getSupportedFormats()
    .then(function (formats) {
      if (formats.indexOf("qr_code") === -1) return;
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      scanButton.hidden = false;
      scanButton.addEventListener("click", function () { start(detector); });
      stopButton.addEventListener("click", function () {
        stop();
        scanButton.focus();
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && running) {
          stop();
          scanButton.focus();
        }
      });
      window.addEventListener("pagehide", stop);
    })
    .catch(function () { /* no formats: keep typing */ });
})();
