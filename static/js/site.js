// Yishi: small progressive enhancements. The site works without this file.
(function () {
  "use strict";

  // The account socket: news addressed to the signed-in person (see docs/realtime.md).
  function connectAccountSocket() {
    var body = document.body;
    if (!body.dataset.liveUser || !("WebSocket" in window)) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + "/ws/me/";
    var delay = 1000;
    var refused = 0; // closes that never opened: refused at the handshake (signed out)

    function notice(text) {
      var box = document.getElementById("live-notice");
      if (!box) return;
      var p = document.createElement("p");
      p.className = "message message-info";
      p.textContent = text;
      box.appendChild(p);
    }

    function open() {
      var socket = new WebSocket(url);
      var opened = false;
      socket.addEventListener("open", function () { delay = 1000; refused = 0; opened = true; });
      socket.addEventListener("message", function (event) {
        var frame;
        try { frame = JSON.parse(event.data); } catch (e) { return; }
        if (frame.type === "membership.request.decided" && frame.message) notice(frame.message);
      });
      socket.addEventListener("close", function () {
        if (!opened && ++refused >= 5) return; // refused again and again: stop trying
        window.setTimeout(open, delay + Math.random() * 500);
        delay = Math.min(delay * 2, 30000);
      });
    }
    open();
  }

  document.addEventListener("DOMContentLoaded", connectAccountSocket);
})();
