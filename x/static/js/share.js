/* Sharing (templates/pages/includes/share.html): where the browser can share itself (Web Share
   API, mostly phones), a "Teilen" button opens its share sheet; where it can write to the
   clipboard, "Link kopieren" copies the address. The plain links work without this script. */
(function () {
  "use strict";

  function setUp(box) {
    if (box.dataset.shareReady) return;
    box.dataset.shareReady = "1";
    var data = {
      title: box.dataset.shareTitle || document.title,
      text: box.dataset.shareText || "",
      url: box.dataset.shareUrl || window.location.href,
    };
    if (!data.text) delete data.text;
    var status = box.querySelector("[data-share-status]");
    var native = box.querySelector("[data-share-native]");
    if (native && typeof navigator.share === "function") {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share(data).catch(function () {
          /* Closed without sharing, or refused: the links are still there. */
        });
      });
    }
    var copy = box.querySelector("[data-share-copy]");
    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(data.url).then(function () {
          if (status) status.textContent = box.dataset.shareCopied || "";
        });
      });
    }
  }

  function init() {
    document.querySelectorAll("[data-share]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
