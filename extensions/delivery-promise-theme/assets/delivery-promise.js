/*
 * Nearhub delivery promise app block (blocks/delivery-promise.liquid). Plain script, no build:
 * Shopify serves it from its CDN as written. It asks the app proxy for the promise for the
 * shopper's postal code and the product (or cart) lines, and writes the answer with
 * textContent only (no HTML from the network). The postal code is remembered in localStorage.
 */
/* global window, document, URLSearchParams */
(function () {
  "use strict";

  var STORAGE_KEY = "nearhub:delivery-location";
  var TIMEOUT_MS = 6000;

  function remembered() {
    try {
      var raw = window.localStorage.getItem(STORAGE_KEY);
      var v = raw ? JSON.parse(raw) : null;
      return v && typeof v.postalCode === "string" ? v : null;
    } catch {
      return null;
    }
  }

  function remember(location) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(location));
    } catch {
      /* private mode: the shopper types it again next time */
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function isObj(v) {
    return v !== null && typeof v === "object";
  }

  function renderOption(option, showBreakdown) {
    var item = el("li", "nearhub-promise__option");
    var head = el("div", "nearhub-promise__option-head");
    head.appendChild(el("span", "nearhub-promise__title", option.title));
    if (option.fastest) head.appendChild(el("span", "nearhub-promise__badge", "Fastest"));
    if (option.cheapest) head.appendChild(el("span", "nearhub-promise__badge", "Lowest price"));
    head.appendChild(el("span", "nearhub-promise__price", option.price.amountMinor === 0 ? "Free" : option.price.formatted));
    item.appendChild(head);
    item.appendChild(el("p", "nearhub-promise__arrives", option.arrives.text));
    var where;
    if (Array.isArray(option.parcels) && option.parcels.length > 1) {
      // A split option: every parcel, when it comes and from where ("2 parcels: today from …, Thu from …").
      where = option.summary;
    } else if (option.service === "PICKUP") {
      // The title already says "Pickup at <node>": say where that is.
      where = option.shipsFrom.city ? "In " + option.shipsFrom.city : "";
    } else {
      where = "Ships from " + option.shipsFrom.name + (option.shipsFrom.city ? ", " + option.shipsFrom.city : "");
      if (option.carriedBy) where += " · " + option.carriedBy;
    }
    if (where) item.appendChild(el("p", "nearhub-promise__from", where));
    if (showBreakdown && isObj(option.breakdown)) {
      var details = el("details", "nearhub-promise__breakdown");
      details.appendChild(el("summary", null, "What the price is made of"));
      var list = el("ul");
      option.breakdown.costs.forEach(function (c) {
        list.appendChild(el("li", null, (c.note ? c.label + " (" + c.note + ")" : c.label) + ": " + c.amount.formatted));
      });
      list.appendChild(el("li", "nearhub-promise__subtotal", "Delivery cost: " + option.breakdown.costTotal.formatted));
      option.breakdown.steps.forEach(function (s) {
        list.appendChild(el("li", null, s.label + ": " + s.change.formatted));
      });
      list.appendChild(el("li", "nearhub-promise__total", "You pay: " + (option.price.amountMinor === 0 ? "Free" : option.price.formatted)));
      details.appendChild(list);
      item.appendChild(details);
    }
    return item;
  }

  function render(root, result, promise) {
    result.textContent = "";
    if (!isObj(promise) || !Array.isArray(promise.options) || typeof promise.message !== "string") {
      result.appendChild(el("p", "nearhub-promise__message", "Delivery times are not available right now."));
      return;
    }
    if (promise.status === "unavailable") {
      root.hidden = true;
      return;
    }
    var showBreakdown = root.getAttribute("data-show-breakdown") !== "false";
    result.appendChild(el("p", "nearhub-promise__message", promise.message));
    if (promise.options.length > 0) {
      var list = el("ul", "nearhub-promise__options");
      promise.options.forEach(function (o) {
        list.appendChild(renderOption(o, showBreakdown));
      });
      result.appendChild(list);
    } else if (Array.isArray(promise.backupRates) && promise.backupRates.length > 0) {
      var rates = el("ul", "nearhub-promise__options");
      promise.backupRates.forEach(function (r) {
        rates.appendChild(el("li", "nearhub-promise__option", r.name + ": " + r.price.formatted + ", " + r.transit));
      });
      result.appendChild(rates);
    }
    (promise.notes || []).forEach(function (n) {
      result.appendChild(el("p", "nearhub-promise__note", n));
    });
  }

  function ask(root, location) {
    var result = root.querySelector(".nearhub-promise__result");
    var lines = root.getAttribute("data-lines") || "";
    if (!lines) {
      root.hidden = true;
      return;
    }
    var params = new URLSearchParams({ country: location.country, postal_code: location.postalCode, lines: lines });
    var locale = root.getAttribute("data-locale");
    if (locale) params.set("locale", locale);
    result.textContent = "";
    result.appendChild(el("p", "nearhub-promise__message", "Checking delivery times…"));
    root.setAttribute("aria-busy", "true");
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) controller.abort();
    }, TIMEOUT_MS);
    fetch(root.getAttribute("data-proxy-url") + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      })
      .then(function (promise) {
        render(root, result, promise);
      })
      .catch(function () {
        render(root, result, null);
      })
      .then(function () {
        clearTimeout(timer);
        root.removeAttribute("aria-busy");
      });
  }

  function init(root) {
    if (root.getAttribute("data-nearhub-ready")) return;
    root.setAttribute("data-nearhub-ready", "1");
    var form = root.querySelector(".nearhub-promise__form");
    var input = root.querySelector(".nearhub-promise__input");
    var error = root.querySelector(".nearhub-promise__error");
    var country = root.getAttribute("data-country") || "US";
    var saved = remembered();
    if (saved && saved.postalCode) input.value = saved.postalCode;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var postalCode = input.value.trim();
      if (!/^[A-Za-z0-9][A-Za-z0-9 -]{1,14}$/.test(postalCode)) {
        error.textContent = "Enter a postal code, e.g. 11211.";
        error.hidden = false;
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      error.hidden = true;
      input.removeAttribute("aria-invalid");
      var location = { country: country, postalCode: postalCode };
      saved = location;
      remember(location);
      ask(root, location);
    });

    // On a product page, follow the variant picker (themes keep the chosen id in the form's `id`).
    if (root.getAttribute("data-scope") === "product") {
      var idInput = document.querySelector('form[action*="/cart/add"] [name="id"]');
      if (idInput) {
        idInput.addEventListener("change", function () {
          var current = (root.getAttribute("data-lines") || "").split(":");
          if (!/^\d+$/.test(idInput.value)) return;
          root.setAttribute("data-lines", idInput.value + ":" + (current[1] || "1"));
          if (saved) ask(root, saved);
        });
      }
    }

    var start = saved || (input.value.trim() ? { country: country, postalCode: input.value.trim() } : null);
    if (start) ask(root, start);
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-nearhub-promise]"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll);
  else initAll();
  // The theme editor re-renders sections when the merchant changes a setting.
  document.addEventListener("shopify:section:load", initAll);
})();
