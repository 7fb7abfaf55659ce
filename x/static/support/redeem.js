/*
 * The merchant's redeem page: progressive enhancement only. Without JavaScript or a camera the
 * code is typed; the scan button stays hidden.
 * QR codes are read by the browser's BarcodeDetector where it reads them (Chrome on Android);
 * elsewhere (Safari on iOS, Firefox) by jsQR, the project's npm copy, which is loaded only then
 * and reads frames of the camera picture drawn into a canvas. Either way the picture never
 * leaves the phone.
 */
(function () {
  "use strict";

  var ALPHABET = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{20}$/;
  var INTERVAL = 200; // ms between two looks at the camera picture
  var FALLBACK_SIDE = 640; // px: jsQR reads a frame scaled down to this (fast on old phones)

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

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return; // no camera: the button stays hidden
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

  /*
   * A detector is a function that looks at the video once and resolves to the texts of the QR
   * codes it saw (often none).
   */

  /** The browser's own BarcodeDetector, where it exists and reads QR codes; else null. */
  function nativeDetector() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return Promise.resolve()
      .then(function () { return window.BarcodeDetector.getSupportedFormats(); })
      .then(function (formats) {
        if (formats.indexOf("qr_code") === -1) return null;
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function () {
          return detector.detect(video).then(function (found) {
            return found.map(function (barcode) { return barcode.rawValue; });
          });
        };
      })
      .catch(function () { return null; });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  /** jsQR on frames of the video drawn into a canvas; null if it cannot be loaded. */
  function fallbackDetector() {
    var src = form.dataset.supportJsqr;
    if (!src) return Promise.resolve(null);
    return loadScript(src)
      .then(function () {
        if (typeof window.jsQR !== "function") return null;
        var canvas = document.createElement("canvas");
        var context = canvas.getContext("2d", { willReadFrequently: true });
        if (!context) return null;
        return function () {
          return new Promise(function (resolve) {
            var width = video.videoWidth;
            var height = video.videoHeight;
            if (!width || !height) return resolve([]); // no picture yet
            var scale = Math.min(1, FALLBACK_SIDE / Math.max(width, height));
            canvas.width = Math.round(width * scale);
            canvas.height = Math.round(height * scale);
            context.drawImage(video, 0, 0, canvas.width, canvas.height);
            var frame = context.getImageData(0, 0, canvas.width, canvas.height);
            // Vouchers are printed dark on light: no need to try the inverted picture too.
            var found = window.jsQR(frame.data, frame.width, frame.height, {
              inversionAttempts: "dontInvert",
            });
            resolve(found ? [found.data] : []);
          });
        };
      })
      .catch(function () { return null; });
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
    scanButton.disabled = false;
  }

  function fail() {
    stop();
    error.hidden = false;
    input.focus();
  }

  function start(detect) {
    if (running || scanButton.disabled) return;
    scanButton.disabled = true; // until the camera answers: a double tap asks once
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
        return video.play().then(function () { scan(detect); });
      })
      .catch(fail);
  }

  function scan(detect) {
    if (!running) return;
    detect()
      .then(function (texts) {
        if (!running) return;
        for (var i = 0; i < texts.length; i++) {
          var code = codeFrom(texts[i]);
          if (code) {
            stop();
            input.value = code;
            form.requestSubmit ? form.requestSubmit() : form.submit();
            return;
          }
        }
        if (texts.length) status.textContent = status.dataset.unknown || status.textContent;
        window.setTimeout(function () { scan(detect); }, INTERVAL);
      })
      .catch(fail);
  }

  nativeDetector()
    .then(function (detect) { return detect || fallbackDetector(); })
    .then(function (detect) {
      if (!detect) return; // nothing reads QR codes here: keep typing
      scanButton.hidden = false;
      scanButton.addEventListener("click", function () { start(detect); });
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
    });
})();
