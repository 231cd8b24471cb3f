// Yishi: small progressive enhancements. The site works without this file.
(function () {
  "use strict";

  // The account socket: news addressed to the signed-in person (see docs/realtime.md).
  function connectAccountSocket() {
    var body = document.body;
    if (!body.dataset.liveUser || !("WebSocket" in window)) return;

    function notice(text) {
      var box = document.getElementById("live-notice");
      if (!box) return;
      var p = document.createElement("p");
      p.className = "message message-info";
      p.textContent = text;
      box.appendChild(p);
    }

    liveSocket(function () { return "/ws/me/"; }, function (frame) {
      if (frame.type === "membership.request.decided" && frame.message) notice(frame.message);
      if (frame.type === "notification.new") {
        var count = document.getElementById("unread-count");
        if (count) {
          count.firstChild.nodeValue = String((parseInt(count.firstChild.nodeValue, 10) || 0) + 1);
          count.hidden = false;
        }
      }
    }, null, { quiet: true });
  }

  // A socket that reconnects by itself: after 1 s, then twice as long each time up to 30 s (with
  // jitter, so a restarted server is not hit by everyone at once), and at once when the device comes
  // back online. While it is away the page says "Reconnecting…". A socket refused from the start
  // (not allowed) stops after five tries; one that was open keeps trying. `onFrame` gets each frame.
  function liveSocket(path, onFrame, onOpen, options) {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var quiet = options && options.quiet;
    var delay = 1000, refused = 0, everOpened = false, current = null, timer = null;
    function status(away) {
      var box = document.getElementById("connection-status");
      if (box && !quiet) box.hidden = !away;
    }
    function open() {
      timer = null;
      var socket = new WebSocket(scheme + window.location.host + path());
      current = socket;
      var opened = false;
      socket.addEventListener("open", function () {
        opened = everOpened = true; refused = 0; delay = 1000;
        status(false);
        if (onOpen) onOpen();
      });
      socket.addEventListener("message", function (event) {
        try { onFrame(JSON.parse(event.data)); } catch (e) { /* not ours */ }
      });
      socket.addEventListener("close", function () {
        if (current !== socket) return;
        if (!opened && ++refused >= 5 && !everOpened) return; // refused again and again: not allowed
        if (everOpened) status(true);
        timer = window.setTimeout(open, delay + Math.random() * delay / 2);
        delay = Math.min(delay * 2, 30000);
      });
    }
    window.addEventListener("online", function () {
      if (timer !== null) { window.clearTimeout(timer); delay = 1000; open(); }
    });
    open();
    return {
      send: function (frame) {
        if (!current || current.readyState !== 1) return false;
        current.send(JSON.stringify(frame));
        return true;
      }
    };
  }

  // Fetch this page again and swap in the regions marked data-live-region;
  // forms are left alone so nothing typed is lost.
  // One refresh at a time, and at most one more waiting: a burst of events costs two fetches.
  var refreshing = false, refreshAgain = null;
  function refreshRegions(onDone) {
    if (refreshing) { refreshAgain = onDone || refreshAgain || function () {}; return; }
    refreshing = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live-Refresh": "1" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-region]").forEach(function (region) {
          var next = region.id && fresh.getElementById(region.id);
          if (next) {
            region.innerHTML = next.innerHTML;
            if (window.htmx) window.htmx.process(region); // buttons inside keep working in place
          }
        });
        addNewCards(fresh);
        if (onDone) onDone(fresh);
      })
      .finally(function () {
        refreshing = false;
        if (refreshAgain) { var again = refreshAgain; refreshAgain = null; refreshRegions(again); }
      });
  }

  // Task cards added since the page was loaded are appended, with their forms.
  function addNewCards(fresh) {
    var cards = document.getElementById("task-cards");
    var freshCards = fresh.getElementById("task-cards");
    if (!cards || !freshCards) return;
    Array.prototype.forEach.call(freshCards.children, function (card) {
      if (card.id && !document.getElementById(card.id)) cards.appendChild(document.importNode(card, true));
    });
    var section = document.getElementById("tasks-section");
    if (section && cards.children.length) section.hidden = false;
  }

  function watchIssue() {
    var issue = document.querySelector("[data-live-issue]");
    if (!issue) return;
    var lastEvent = 0;
    document.querySelectorAll("#timeline [id^='event-']").forEach(function (li) {
      lastEvent = Math.max(lastEvent, parseInt(li.id.slice(6), 10) || 0);
    });
    liveSocket(function () { return "/ws/issues/" + issue.dataset.liveIssue + "/?since=" + lastEvent; },
      function (frame) {
        if (frame.type !== "issue.changed") return;
        if (frame.event_id) lastEvent = Math.max(lastEvent, frame.event_id);
        refreshRegions(function (fresh) {
          var next = fresh.querySelector("[data-live-issue]");
          if (next && next.dataset.status !== issue.dataset.status) {
            document.getElementById("issue-stale").hidden = false;
          }
        });
      });
  }

  function watchIssueList() {
    var list = document.querySelector("[data-live-issue-list]");
    if (!list || !list.dataset.liveIssueList) return;
    liveSocket(function () { return "/ws/issue-lists/?grids=" + list.dataset.liveIssueList; },
      function (frame) {
        if (frame.type !== "issue.changed") return;
        fetch(window.location.href, { credentials: "same-origin", headers: { "HX-Request": "true" } })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            if (!html) return;
            var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("issue-results");
            var current = document.getElementById("issue-results");
            if (fresh && current) current.innerHTML = fresh.innerHTML;
          });
      });
  }

  // A consultation or proposal page: counts, proposals and comments arrive live.
  function watchConsultation() {
    var page = document.querySelector("[data-live-consultation]");
    if (!page) return;
    var lastEvent = parseInt(page.dataset.lastEvent, 10) || 0;
    var opened = false;

    function fetchComment(id, replace) {
      fetch("/comments/" + id + "/", { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var li = new DOMParser().parseFromString(html, "text/html").getElementById("comment-" + id);
          if (!li || li.dataset.proposal !== page.dataset.proposal) return;
          var current = document.getElementById("comment-" + id);
          if (current) {
            if (!replace) return;
            var body = document.getElementById("comment-" + id + "-body");
            var next = li.querySelector("#comment-" + id + "-body");
            if (body && next) body.replaceWith(document.importNode(next, true));
            return;
          }
          var list = li.dataset.parent ? document.getElementById("replies-" + li.dataset.parent)
                                       : document.getElementById("comments-root");
          if (!list || (!li.dataset.parent && "olderPage" in list.dataset)) return; // new ones go on the newest page

          var empty = document.getElementById("no-comments");
          if (empty) empty.remove();
          list.appendChild(document.importNode(li, true));
        });
    }

    liveSocket(function () { return "/ws/consultations/" + page.dataset.liveConsultation + "/?since=" + lastEvent; },
      function (frame) {
        if (frame.type === "proposal.supports") {
          document.querySelectorAll("[data-supports='" + frame.proposal_id + "']").forEach(function (el) {
            el.textContent = String(frame.supports);
          });
          document.querySelectorAll("[data-shortlisted='" + frame.proposal_id + "']").forEach(function (el) {
            el.hidden = !frame.shortlisted;
          });
          return;
        }
        if (frame.type !== "consultation.changed") return;
        if (frame.event_id) lastEvent = Math.max(lastEvent, frame.event_id);
        var here = String(frame.proposal_id || "") === page.dataset.proposal;
        if (frame.kind === "resync") { document.getElementById("page-stale").hidden = false; refreshRegions(); }
        else if (frame.kind === "comment.new") { if (here) fetchComment(frame.comment_id, false); }
        else if (frame.kind === "comment.changed") { if (here) fetchComment(frame.comment_id, true); }
        else refreshRegions();
      },
      function () {
        if (opened) refreshRegions(); // back after a break: counts may have moved meanwhile
        opened = true;
      });
  }

  // The live meeting room (protocol in docs/realtime.md). Server HTML (body_html) is sanitised;
  // everything else is set as text.
  function watchMeeting() {
    var room = document.querySelector("[data-live-meeting]");
    if (!room) return;
    window.setInterval(function () { if (socket) socket.send({ type: "ping" }); }, 25000); // "still here"
    var lastId = parseInt(room.dataset.lastId, 10) || 0;
    var runs = room.dataset.runs === "1";
    var chat = document.getElementById("chat");
    var form = document.getElementById("chat-form");
    var pending = "";
    var clockOffset = Date.now() - (Date.parse(room.dataset.serverNow) || Date.now()); // this phone's clock error
    var me = room.dataset.user;

    function text(el, value) { if (el) el.textContent = value; }
    function notice(message) {
      var box = document.getElementById("live-notice");
      if (!box) return;
      var p = document.createElement("p");
      p.className = "message message-error";
      p.textContent = message;
      box.replaceChildren(p);
    }
    function hideButton(id) {
      var form = document.createElement("form");
      form.className = "inline-form";
      form.dataset.roomAction = "chat.hide";
      form.dataset.message = String(id);
      form.dataset.socketOnly = "1"; // made here, without a form to post: only over the socket
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "link-button small";
      button.textContent = chat.dataset.hideLabel;
      form.appendChild(button);
      return form;
    }
    function addMessage(frame) {
      if (!chat || document.getElementById("msg-" + frame.id)) return;
      var li = document.createElement("li");
      li.id = "msg-" + frame.id;
      li.className = "chat-message";
      var who = document.createElement("strong");
      who.textContent = (frame.author && frame.author.name) || chat.dataset.someone;
      li.appendChild(who);
      li.appendChild(document.createTextNode(" "));
      if (frame.hidden) {
        var em = document.createElement("em");
        em.className = "muted";
        em.textContent = chat.dataset.hiddenText;
        li.appendChild(em);
      } else {
        var body = document.createElement("div");
        body.className = "markdown";
        body.innerHTML = frame.body_html; // sanitised on the server
        li.appendChild(body);
        if (runs) li.appendChild(hideButton(frame.id));
      }
      chat.appendChild(li);
      li.scrollIntoView({ block: "nearest" });
    }
    function showQueue(frame) {
      var now = document.getElementById("speaker-now");
      var list = document.getElementById("speaker-queue");
      if (now) {
        now.replaceChildren();
        var p = document.createElement("p");
        if (frame.speaker) {
          var who = document.createElement("strong");
          who.textContent = frame.speaker.name || now.dataset.someone;
          var clock = document.createElement("span");
          clock.className = "countdown";
          clock.dataset.endsAt = frame.speaker.ends_at;
          p.append(who, " " + now.dataset.floor + " ", clock);
        } else {
          p.className = "muted small";
          p.textContent = now.dataset.nobody;
        }
        now.appendChild(p);
      }
      if (list) {
        list.replaceChildren();
        frame.waiting.forEach(function (w) {
          var li = document.createElement("li");
          li.textContent = w.name || now.dataset.someone;
          if (runs) {
            var remove = document.createElement("form");
            remove.className = "inline-form";
            remove.dataset.roomAction = "speaker.remove";
            remove.dataset.request = String(w.request_id);
            remove.dataset.socketOnly = "1";
            var button = document.createElement("button");
            button.type = "submit";
            button.className = "link-button small";
            button.textContent = list.dataset.removeLabel;
            remove.appendChild(button);
            li.append(" ", remove);
          }
          list.appendChild(li);
        });
      }
      showHand(frame);
      tick();
    }
    // Offer "raise" or "lower", whichever applies to me now.
    function showHand(frame) {
      var mine = frame.waiting.some(function (w) { return String(w.user_id) === me; }) ||
        (frame.speaker && String(frame.speaker.user_id) === me);
      var raise = room.querySelector("form[data-room-action='hand.raise']");
      var lower = room.querySelector("form[data-room-action='hand.lower']");
      if (raise) raise.hidden = mine;
      if (lower) lower.hidden = !mine;
    }
    function tick() {
      document.querySelectorAll(".countdown[data-ends-at]").forEach(function (el) {
        var left = Math.round((Date.parse(el.dataset.endsAt) - (Date.now() - clockOffset)) / 1000);
        var sign = left < 0 ? "−" : "";
        left = Math.abs(left);
        el.textContent = sign + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
        el.classList.toggle("over", sign !== "");
      });
    }
    window.setInterval(tick, 1000);
    tick();

    var socket = liveSocket(function () { return "/ws/meetings/" + room.dataset.liveMeeting + "/?since=" + lastId; },
      function (frame) {
        if (frame.id) {
          if (frame.id <= lastId) return; // seen already (a reconnect can repeat the newest frames)
          lastId = frame.id;
        }
        switch (frame.type) {
          case "welcome":
            if (frame.now) clockOffset = Date.now() - Date.parse(frame.now);
            showHand(frame);
            break;
          case "chat.message":
            addMessage(frame);
            if (frame.author && String(frame.author.id) === room.dataset.user) pending = "";
            break;
          case "chat.hidden":
            var li = document.getElementById("msg-" + frame.message_id);
            if (li) {
              var em = document.createElement("em");
              em.className = "muted";
              em.textContent = chat.dataset.hiddenText;
              li.replaceChildren(li.querySelector("strong"), " ", em);
            }
            break;
          case "queue": showQueue(frame); break;
          case "agenda.current":
            document.querySelectorAll("#agenda > li").forEach(function (item) {
              var current = item.id === "item-" + frame.item_id;
              item.classList.toggle("current", current);
              if (current) item.setAttribute("aria-current", "step"); else item.removeAttribute("aria-current");
            });
            break;
          case "attendance":
            text(document.getElementById("present-count"), String(frame.present));
            var badge = document.getElementById("quorum-badge");
            if (badge && frame.quorum_met) { badge.className = "badge badge-approved"; badge.textContent = badge.dataset.met; }
            var list = document.getElementById("attendance");
            if (list && frame.name) {
              var empty = list.querySelector(".empty");
              if (empty) empty.remove();
              var person = document.createElement("li");
              person.textContent = frame.name;
              list.appendChild(person);
            }
            break;
          case "minutes.updated":
            var view = document.getElementById("minutes-view");
            if (view) {
              fetch("/meetings/" + room.dataset.liveMeeting + "/minutes-view", { credentials: "same-origin" })
                .then(function (response) { return response.ok ? response.text() : null; })
                .then(function (html) {
                  if (!html) return;
                  var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("minutes-view");
                  if (fresh) view.replaceChildren.apply(view, Array.prototype.map.call(fresh.childNodes, function (n) {
                    return document.importNode(n, true);
                  }));
                });
            }
            break;
          case "presence":
            var here = document.getElementById("presence");
            if (here) here.textContent = here.dataset.label.replace("{count}", frame.count) +
              (frame.people.length ? " — " + frame.people.join(", ") : "");
            break;
          case "meeting.status": // opened or adjourned: the page's controls change, so load it again
            document.getElementById("meeting-stale").hidden = false;
            if (!(form && form.querySelector("textarea").value)) window.setTimeout(function () { window.location.reload(); }, 800);
            break;
          case "agenda.changed": case "agenda.outcome": case "minutes.published":
            document.getElementById("meeting-stale").hidden = false;
            break;
          case "error":
            notice(frame.message);
            if (frame["for"] === "chat.send" && pending && form) { form.querySelector("textarea").value = pending; pending = ""; }
            break;
        }
      });

    if (form) {
      form.addEventListener("submit", function (event) {
        var area = form.querySelector("textarea");
        var body = area.value.trim();
        if (!body) { event.preventDefault(); return; }
        if (socket.send({ type: "chat.send", body: body })) {
          event.preventDefault(); // sent live; without a socket the form posts as usual
          pending = body;
          area.value = "";
        }
      });
    }
    // Room buttons are forms: sent as frames while the socket is open, posted as usual otherwise.
    room.addEventListener("submit", function (event) {
      var target = event.target.closest("form[data-room-action]");
      if (!target) return;
      var frame = { type: target.dataset.roomAction };
      if (target.dataset.item) frame.item_id = parseInt(target.dataset.item, 10);
      if (target.dataset.message) frame.message_id = parseInt(target.dataset.message, 10);
      if (target.dataset.request) frame.request_id = parseInt(target.dataset.request, 10);
      var seconds = target.querySelector("input[name=seconds]");
      if (seconds && seconds.value) frame.seconds = parseInt(seconds.value, 10);
      if (socket.send(frame) || target.dataset.socketOnly) event.preventDefault();
    });
  }

  // A poll page: counts refresh when they move (the server sends at most one ping a second, so a
  // slow refresh every 10 s also catches the last votes); opening or closing reloads the page.
  function watchPoll() {
    var poll = document.querySelector("[data-live-poll]");
    if (!poll) return;
    liveSocket(function () { return "/ws/polls/" + poll.dataset.livePoll + "/"; }, function (frame) {
      if (frame.type === "poll.changed") refreshRegions();
      if ((frame.type === "poll.status" || frame.type === "welcome") && frame.status !== poll.dataset.status) {
        var form = poll.querySelector("form.ballot");
        if (!form || !form.querySelector("input:checked")) window.location.reload();
      }
    });
    if (poll.dataset.status === "open" && poll.dataset.liveResults === "1") window.setInterval(refreshRegions, 10000);
    // The worker closes a poll at its closing time. Where its news cannot reach this page (one process
    // without Redis runs the worker apart), look again: at the closing time, then while it is being counted.
    var reloadUnlessVoting = function () {
      var form = poll.querySelector("form.ballot");
      if (!form || !form.querySelector("input:checked")) window.location.reload();
    };
    if (poll.dataset.closing) window.setTimeout(reloadUnlessVoting, 5000);
    if (poll.dataset.closesAt) {
      var wait = parseInt(poll.dataset.closesAt, 10) * 1000 - Date.now() + 2000;
      if (wait > 0 && wait < 86400000) window.setTimeout(reloadUnlessVoting, wait);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    connectAccountSocket();
    watchIssue();
    watchIssueList();
    watchConsultation();
    watchMeeting();
    watchPoll();
  });
})();
