/*
 * Search as you type: suggestions from the second letter, chosen with the mouse or the keyboard
 * (arrow keys, Enter, Escape), announced to screen readers (ARIA 1.2 combobox with a listbox).
 * Works on every input with data-suggest-url; without JavaScript the form simply submits.
 */
(function () {
  "use strict";

  function combobox(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var announce = document.getElementById(input.dataset.announce);
    if (!list) return;
    var active = -1;
    var items = [];
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (li, i) { li.setAttribute("aria-selected", String(i === index)); });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.url = s.url;
        var name = document.createElement("span");
        name.className = "suggestions__name";
        name.textContent = s.name; // never innerHTML: names come from merchants
        var meta = document.createElement("span");
        meta.className = "suggestions__meta";
        meta.textContent = [s.category, s.district].filter(Boolean).join(" · ");
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.href = s.url;
        });
        list.appendChild(li);
        return li;
      });
      active = -1;
      var open = items.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      if (announce) {
        announce.textContent = !open ? "" : items.length === 1
          ? announce.dataset.one
          : announce.dataset.many.replace("{count}", items.length);
      }
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var ticket = ++latest;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q))
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (ticket === latest) show(data.suggestions); })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = items[active].dataset.url;
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault(); // first Escape closes the list; only a second one clears the field
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(combobox);

  var near = document.getElementById("search-near-me");
  var form = document.getElementById("search-form");
  if (near && form && "geolocation" in navigator) {
    near.hidden = false;
    near.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lng.value = position.coords.longitude.toFixed(5);
        form.submit();
      });
    });
  }
})();
