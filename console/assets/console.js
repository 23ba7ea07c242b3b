// LiveDesk console: copy buttons, the Messaging Service switch, and live
// updates of the inbox over Server-Sent Events. No inline script anywhere.
(function () {
  "use strict";
  var base = document.body.dataset.base || "";

  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-copy]");
    if (!b) return;
    var text = b.dataset.copy, done = function () {
      var old = b.textContent; b.textContent = "Copied"; b.classList.add("copied");
      setTimeout(function () { b.textContent = old; b.classList.remove("copied"); }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectNear(b); });
    } else { selectNear(b); document.execCommand && document.execCommand("copy"); done(); }
  });
  function selectNear(b) {
    var input = b.parentElement.querySelector("input");
    if (input) { input.focus(); input.select(); }
  }

  // "Use Twilio Messaging Service" swaps the number for the service SID.
  var ms = document.getElementById("messaging_service");
  if (ms) {
    var sync = function () {
      document.querySelectorAll("[data-mode]").forEach(function (el) {
        el.hidden = (el.dataset.mode === "service") !== ms.checked;
      });
    };
    ms.addEventListener("change", sync); sync();
  }

  // After a failed settings form, bring its section into view.
  var focus = document.getElementById("focus-section");
  if (focus) { var s = document.getElementById(focus.dataset.section); if (s) s.scrollIntoView(); }

  if (document.body.dataset.live !== "on" || !window.EventSource) return;
  var list = document.getElementById("conv-list");
  var thread = document.getElementById("thread");
  var composer = document.getElementById("composer");
  var pending = {}, timer = null;

  function fetchInto(el, url, keepIf) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null && (!keepIf || !keepIf())) el.innerHTML = html; });
  }
  function refresh() {
    timer = null;
    var changed = pending; pending = {};
    if (list) {
      var before = {};
      list.querySelectorAll(".conv").forEach(function (a) { before[a.dataset.id] = a.querySelector(".preview").textContent; });
      fetchInto(list, base + "/inbox/list?" + list.dataset.qs).then(function () {
        list.querySelectorAll(".conv").forEach(function (a) {
          var id = a.dataset.id;
          if (thread && id === thread.dataset.conversation) a.classList.add("current");
          if (changed[id] && before[id] !== a.querySelector(".preview").textContent) a.classList.add("fresh");
        });
        document.dispatchEvent(new CustomEvent("livedesk:updated"));
      });
    }
    if (thread && changed[thread.dataset.conversation]) {
      var url = base + "/inbox/" + encodeURIComponent(thread.dataset.conversation) + "/thread?" + thread.dataset.qs;
      fetchInto(thread, url + "&part=thread").then(function () {
        var tl = document.getElementById("timeline"); if (tl) tl.scrollTop = tl.scrollHeight;
      });
      if (composer) fetchInto(composer, url + "&part=composer", function () {
        var t = document.getElementById("reply-text");
        return t && (t.value !== "" || document.activeElement === t);
      });
    }
  }
  var es = new EventSource(base + "/events");
  // Close the stream when the page goes, so a browser keeping the page
  // (back/forward cache) does not hold one of its few connections per host.
  window.addEventListener("pagehide", function () { es.close(); });
  es.addEventListener("open", function () { document.body.dataset.liveState = "open"; });
  es.addEventListener("error", function () { document.body.dataset.liveState = "reconnecting"; });
  // The desk's stream names each event by its type (message.received...).
  var onEvent = function (e) {
    try { pending[JSON.parse(e.data).conversation_id] = true; } catch (err) { return; }
    if (!timer) timer = setTimeout(refresh, 100);
  };
  (document.body.dataset.liveTypes || "").split(",").forEach(function (t) { if (t) es.addEventListener(t, onEvent); });
  var tl = document.getElementById("timeline"); if (tl) tl.scrollTop = tl.scrollHeight;
})();
