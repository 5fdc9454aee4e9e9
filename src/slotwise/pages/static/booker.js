/* Slotwise booking pages: progressive enhancement (the pages work without it).
   - Booker: the browser's time zone, a search over the time zones, month/day/slot/layout changes without full reloads,
     arrow keys in the calendar, a slot reservation while the form is open;
   - embed mode (?embed=...): Cal.com's embed events posted to the parent window. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  root.classList.add("js");
  var embedNs = root.getAttribute("data-embed");
  var embedded = embedNs !== null && window.parent !== window;

  function post(type, data) {
    if (!embedded) return;
    var full = "CAL:" + (embedNs || "") + ":" + type;
    window.parent.postMessage({ originator: "CAL", type: type, namespace: embedNs || "",
      fullType: full, data: data || {} }, "*");
  }

  var lastSize = null;
  function reportSize() {
    var h = Math.ceil(doc.documentElement.scrollHeight), w = Math.ceil(doc.documentElement.scrollWidth);
    var key = w + "x" + h;
    if (key === lastSize) return;
    post("__dimensionChanged", { iframeHeight: h, iframeWidth: w, isFirstTime: lastSize === null });
    lastSize = key;
  }

  function booker() { return doc.querySelector("[data-booker]"); }

  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch (e) { return null; }
  }

  function norm(text) {
    return text.toLowerCase().replace(/[_\u2212]/g, function (c) { return c === "_" ? " " : "-"; });
  }

  // The time-zone search: filters the <select> (which works alone without the script).
  function zoneSearch(box) {
    var wrap = box.querySelector("[data-tz-search]"), select = box.querySelector("[data-tz-select]");
    if (!wrap || !select || select.disabled) return;
    var input = wrap.querySelector("input"), count = wrap.querySelector("#tz-count");
    var options = Array.prototype.slice.call(select.options);
    var texts = options.map(function (o) { return norm(o.textContent + " " + o.value); });
    wrap.hidden = false;
    function matches() { return options.filter(function (o) { return !o.hidden; }); }
    input.addEventListener("input", function () {
      var words = norm(input.value).trim().split(/\s+/).filter(Boolean);
      options.forEach(function (o, i) {
        o.hidden = !words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      });
      var n = matches().length;
      count.textContent = !words.length ? "" : n === 0 ? count.getAttribute("data-count-none")
        : n === 1 ? count.getAttribute("data-count-one")
        : count.getAttribute("data-count-many").replace("%(num)s", String(n));
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); select.focus(); return; }
      if (ev.key !== "Enter") return;
      ev.preventDefault();  // never submits the preferences form
      var first = matches()[0];
      if (!first) return;
      select.value = first.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function withParams(changes) {
    var url = new URL(window.location.href);
    Object.keys(changes).forEach(function (k) {
      if (changes[k] === null) url.searchParams.delete(k); else url.searchParams.set(k, changes[k]);
    });
    return url.toString();
  }

  function focusAfter(box, hint) {
    if (hint.none) return;
    var el = null;
    if (hint.day) {
      el = box.querySelector(".slot") || box.querySelector("#slots-title");
      showTimes(box);
    }
    else if (hint.slot) el = box.querySelector(".booking-form input:not([type=hidden]), .booking-form textarea");
    else if (hint.selector) el = box.querySelector(hint.selector);
    if (!el) el = box.querySelector("#month-title") || box.querySelector("#range-title");
    if (el) {
      if (!el.matches("a, button, input, select, textarea")) el.setAttribute("tabindex", "-1");
      el.focus({ preventScroll: !!hint.day });
    }
  }

  // On a phone the times are below the calendar: bring the chosen day's times to the top.
  function showTimes(box) {
    var times = box.querySelector("section.slots");
    if (!times) return;
    var top = times.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.4 || top < 0) times.scrollIntoView({ block: "start" });
  }

  var busy = null;
  function navigate(url, opts) {
    var box = booker();
    if (!box) { window.location.href = url; return; }
    if (busy) busy.abort();
    busy = new AbortController();
    box.classList.add("loading");
    fetch(url, { signal: busy.signal, headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (r) { return r.text().then(function (t) { return { ok: r.ok || r.status === 400, text: t }; }); })
      .then(function (res) {
        var next = new DOMParser().parseFromString(res.text, "text/html").querySelector("[data-booker]");
        if (!next) { window.location.href = url; return; }
        box.innerHTML = next.innerHTML;
        ["data-tz", "data-tz-from-url"].forEach(function (a) { box.setAttribute(a, next.getAttribute(a)); });
        box.classList.remove("loading");
        if (opts.replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
        setup(box);
        focusAfter(box, opts.focus || {});
        post("__routeChanged", {});
        reportSize();
      })
      .catch(function (e) { if (e.name !== "AbortError") window.location.href = url; });
  }

  function calendarKeys(box) {
    var table = box.querySelector("table.month");
    if (!table) return;
    var days = Array.prototype.slice.call(table.querySelectorAll("a.day"));
    if (!days.length) return;
    var current = table.querySelector("a.day.selected") || days[0];
    days.forEach(function (d) { d.tabIndex = d === current ? 0 : -1; });
    table.addEventListener("keydown", function (ev) {
      var steps = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[ev.key];
      var from = ev.target.closest && ev.target.closest("a.day");
      if (!from) return;
      var target = null;
      if (ev.key === "Home") target = days[0];
      else if (ev.key === "End") target = days[days.length - 1];
      else if (steps) {
        var d = new Date(from.getAttribute("data-day") + "T12:00:00Z");
        for (var i = 0; i < 62 && !target; i++) {
          d.setUTCDate(d.getUTCDate() + steps);
          var iso = d.toISOString().slice(0, 10);
          if (iso.slice(0, 7) !== from.getAttribute("data-day").slice(0, 7)) break;
          target = table.querySelector('a.day[data-day="' + iso + '"]');
          if (Math.abs(steps) === 7) break;
        }
        if (!target && Math.abs(steps) === 7) {
          var idx = days.indexOf(from) + (steps > 0 ? 1 : -1);
          target = days[idx] || null;
        }
      }
      if (!target) return;
      ev.preventDefault();
      from.tabIndex = -1; target.tabIndex = 0; target.focus();
    });
  }

  // The reservation request in flight, if any: a booker who submits before it answers would
  // otherwise post without its uid and find the time held (by themselves).
  var pending = null;

  function reserve(box) {
    var form = box.querySelector("[data-booking-form][data-event-type]");
    if (!form || !window.fetch) return;
    var held = form.querySelector("[data-reservation]");
    if (held.value) return;
    var body = { eventTypeId: Number(form.getAttribute("data-event-type")),
      slotStart: form.getAttribute("data-slot") };
    if (form.getAttribute("data-duration")) body.slotDuration = Number(form.getAttribute("data-duration"));
    pending = fetch("/v2/slots/reservations", { method: "POST", credentials: "omit",
      headers: { "Content-Type": "application/json", "cal-api-version": "2024-09-04" },
      body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, json: j }; }); })
      .then(function (res) {
        if (res.status === 201 && res.json.data) {
          held.value = res.json.data.reservationUid;
          history.replaceState(null, "", withParams({ reservationUid: held.value }));
        } else if (res.status === 422) {
          navigate(withParams({ slot: null, taken: "1" }), { replace: true, focus: { selector: "[role=alert]" } });
        }
      })
      .catch(function () { /* booking still re-checks the time */ })
      .then(function () { pending = null; });
  }

  function release(box) {
    // Leaving the form: give the held time back to everyone.
    var held = box.querySelector("[data-booking-form] [data-reservation]");
    if (!held || !held.value) return;
    fetch("/v2/slots/reservations/" + encodeURIComponent(held.value), { method: "DELETE",
      credentials: "omit", headers: { "cal-api-version": "2024-09-04" } }).catch(function () {});
    held.value = "";
  }

  function setup(box) {
    zoneSearch(box);
    calendarKeys(box);
    reserve(box);
    var form = box.querySelector("[data-booking-form]"), queued = false;
    if (form) form.addEventListener("submit", function (ev) {
      if (pending) {  // send the held uid along: wait for the reservation, then submit again
        ev.preventDefault();
        if (queued) return;  // one resubmission, however often they click
        queued = true;
        var by = ev.submitter || null;
        pending.then(function () {  // runs after the reservation's own handlers (pending is null)
          queued = false;
          if (form.requestSubmit) form.requestSubmit(by); else form.submit();
        });
        return;
      }
      var b = form.querySelector("button[type=submit]");
      if (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); }
    });
  }

  function initBooker(box) {
    box.addEventListener("click", function (ev) {
      var a = ev.target.closest && ev.target.closest("a[data-nav]");
      if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button) return;
      ev.preventDefault();
      release(box);
      var focus = a.hasAttribute("data-day") ? { day: true }
        : a.rel ? { selector: 'a[rel="' + a.rel + '"]' }
        : a.hasAttribute("data-layout") ? { selector: 'a[data-layout="' + a.getAttribute("data-layout") + '"]' } : {};
      navigate(a.href, { focus: focus });
    });
    box.addEventListener("submit", function (ev) {
      var form = ev.target;
      if (!form.matches("[data-slot-form]")) return;
      ev.preventDefault();
      var params = new URLSearchParams(new FormData(form, ev.submitter || undefined));
      navigate(form.action.split("?")[0] + "?" + params.toString(), { focus: { slot: true } });
    });
    box.addEventListener("change", function (ev) {
      var t = ev.target;
      if (t.name === "timeZone") navigate(withParams({ timeZone: t.value }), { focus: { selector: "[data-tz-select]" } });
      if (t.name === "clock") navigate(withParams({ clock: t.value }), { focus: { selector: 'input[name=clock][value="' + t.value + '"]' } });
    });
    window.addEventListener("popstate", function () { navigate(window.location.href, { replace: true }); });
    setup(box);
    var invalid = box.querySelector(".field.invalid input, .field.invalid textarea, .field.invalid select");
    if (invalid) invalid.focus();
    var zone = browserZone();
    if (box.getAttribute("data-tz-from-url") !== "1" && zone && zone !== box.getAttribute("data-tz")) {
      navigate(withParams({ timeZone: zone }), { replace: true, focus: { none: true } });
    }
    try {
      var info = JSON.parse(box.getAttribute("data-embed-info") || "{}");
      post("availabilityLoaded", info);
    } catch (e) { /* ignore */ }
  }

  function start() {
    post("__iframeReady", { isPrerendering: false });
    var box = booker();
    if (box) initBooker(box);
    var done = doc.querySelector("[data-embed-event]");
    if (done) {
      try { var ev = JSON.parse(done.getAttribute("data-embed-event")); post(ev.type, ev.data); } catch (e) { /* ignore */ }
    }
    reportSize();
    post("linkReady", {});
    if (window.ResizeObserver) new ResizeObserver(reportSize).observe(doc.body);
  }

  window.addEventListener("load", function () { post("__windowLoadComplete", {}); reportSize(); });
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start); else start();
})();
