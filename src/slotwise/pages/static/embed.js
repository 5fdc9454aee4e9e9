/* Slotwise inline embed: one script tag puts a booking page in an iframe where the tag is.
   <script src="https://HOST/static/pages/embed.js" data-link="alice/intro" async></script>
   Optional: data-namespace, data-theme (light|dark), data-brand-color, data-lng, data-height.
   Events from the page are re-fired on window as CustomEvents named like Cal.com's
   ("CAL:<namespace>:<type>", and "CAL:<namespace>:*"), detail {type, namespace, fullType, data}. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.getAttribute("data-link")) return;
  var origin = new URL(script.src).origin;
  var ns = script.getAttribute("data-namespace") || "";
  var url = new URL(origin + "/" + script.getAttribute("data-link").replace(/^\/+/, ""));
  url.searchParams.set("embed", ns || "true");
  [["data-theme", "theme"], ["data-brand-color", "brandColor"], ["data-lng", "lng"]].forEach(function (p) {
    var v = script.getAttribute(p[0]);
    if (v) url.searchParams.set(p[1], v);
  });
  var frame = document.createElement("iframe");
  frame.src = url.toString();
  frame.title = script.getAttribute("data-title") || "Booking";
  frame.style.cssText = "width:100%;border:0;min-height:" + (script.getAttribute("data-height") || "600") + "px";
  frame.setAttribute("allow", "clipboard-write");
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (e) {
    var msg = e.data;
    if (e.origin !== origin || e.source !== frame.contentWindow || !msg || msg.originator !== "CAL") return;
    if ((msg.namespace || "") !== ns) return;
    if (msg.type === "__dimensionChanged" && msg.data && msg.data.iframeHeight) {
      frame.style.height = msg.data.iframeHeight + "px";
    }
    var detail = { type: msg.type, namespace: ns, fullType: msg.fullType, data: msg.data };
    window.dispatchEvent(new CustomEvent("CAL:" + ns + ":" + msg.type, { detail: detail }));
    window.dispatchEvent(new CustomEvent("CAL:" + ns + ":*", { detail: detail }));
  });
})();
