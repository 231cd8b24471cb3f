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
      socket.addEventListener("close", function (event) {
        if (current !== socket) return;
        if (event.code === 4429) { // too many of this person's pages are open: say so, do not try again
          var box = document.getElementById("connection-status");
          if (box && box.dataset.tooMany) { box.textContent = box.dataset.tooMany; box.hidden = false; }
          return;
        }
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

  // Fetch this page's live regions again — only them: with the X-Live-Refresh header the view renders its
  // template's `live` partial, each region an element with its id — and put each in place of the one
  // with that id (parts marked data-keep, such as a form being filled in, stay as they are).
  // One refresh at a time, and at most one more waiting: a burst of events costs two fetches.
  var refreshing = false, refreshAgain = null;
  function refreshRegions(onDone) {
    if (refreshing) { refreshAgain = onDone || refreshAgain || function () {}; return; }
    refreshing = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live-Refresh": "1" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var template = document.createElement("template");
        template.innerHTML = html;
        Array.prototype.forEach.call(template.content.children, function (region) {
          var current = region.id && document.getElementById(region.id);
          if (current) swapInto(current, "outer", region.outerHTML);
        });
        if (onDone) onDone();
      })
      .finally(function () {
        refreshing = false;
        if (refreshAgain) { var again = refreshAgain; refreshAgain = null; refreshRegions(again); }
      });
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
        refreshRegions(function () {
          var summary = document.getElementById("issue-summary");
          if (summary && summary.dataset.status !== issue.dataset.status) {
            document.getElementById("issue-stale").hidden = false; // what this person may do changed
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

  // Put server-rendered HTML where a frame says (docs/realtime.md): "inner" replaces an element's content,
  // "outer" the element, "append" adds to its end (an element already there by id is replaced, not
  // repeated). A swap without html names a URL to fetch it from, as this person. Parts marked data-keep
  // (a form being filled in) stay as they are; forms get this page's CSRF token (a fragment is for many).
  function applySwaps(swaps, after) {
    (swaps || []).forEach(function (s) {
      var target = document.getElementById(s.target);
      if (!target) return;
      if (typeof s.html === "string") { swapInto(target, s.swap, s.html); if (after) after(); return; }
      if (!s.url) return;
      fetch(s.url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { swapInto(target, s.swap, html); if (after) after(); } });
    });
  }

  // A control that had the focus and is replaced by a swap hands the focus to its counterpart in the new
  // HTML (same id, or same place among the region's controls), so a keyboard user carries on from there.
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function focusedIn(target) {
    var active = document.activeElement;
    if (!active || active === document.body || !target.contains(active)) return null;
    var controls = Array.prototype.slice.call(target.querySelectorAll(FOCUSABLE));
    return { id: active.id, index: controls.indexOf(active), region: target.id };
  }
  function restoreFocus(saved) {
    if (!saved || (document.activeElement && document.activeElement !== document.body)) return;
    var region = document.getElementById(saved.region);
    var el = saved.id && document.getElementById(saved.id);
    if (!el && region) {
      var controls = region.querySelectorAll(FOCUSABLE);
      el = controls.length ? controls[Math.min(Math.max(saved.index, 0), controls.length - 1)] : null;
      if (!el) { el = region; if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1"); }
    }
    if (el) el.focus({ preventScroll: true });
  }

  function swapInto(target, how, html) {
    var saved = focusedIn(target);
    var typed = {}; // what someone typed in the region goes into the same field (by id) of the new HTML
    target.querySelectorAll("textarea[id], input[id]:not([type=hidden])").forEach(function (field) {
      if (field.value !== field.defaultValue) typed[field.id] = field.value;
    });
    var template = document.createElement("template");
    template.innerHTML = html;
    var fresh = template.content;
    fresh.querySelectorAll("[data-keep][id]").forEach(function (el) {
      var old = document.getElementById(el.id);
      if (old && target.contains(old)) el.replaceWith(old);
    });
    var token = document.querySelector("input[name=csrfmiddlewaretoken]:not([value=fragment])");
    fresh.querySelectorAll("input[name=csrfmiddlewaretoken][value=fragment]").forEach(function (input) {
      input.value = token ? token.value : "";
    });
    var added = Array.prototype.slice.call(fresh.children);
    if (how === "append") {
      added.forEach(function (el) {
        var old = el.id && document.getElementById(el.id);
        if (old) old.replaceWith(el); else target.appendChild(el);
        el.scrollIntoView({ block: "nearest" });
      });
    } else if (how === "outer") {
      target.replaceWith(fresh);
    } else {
      target.replaceChildren(fresh);
      added = [target];
    }
    if (window.htmx) added.forEach(function (el) { window.htmx.process(el); }); // buttons inside keep working
    Object.keys(typed).forEach(function (id) {
      var field = document.getElementById(id);
      if (field && field.value === field.defaultValue) field.value = typed[id];
    });
    restoreFocus(saved);
  }

  // Whether a person has typed into a field of ``scope`` that no submit has taken yet.
  function typedIn(scope) {
    if (!scope) return false;
    return Array.prototype.some.call(scope.querySelectorAll("textarea, input[type=text], input:not([type])"),
      function (field) { return field.value !== field.defaultValue; });
  }

  // A long list of checkboxes gets a box that finds its options by what their labels say (name, role, grid,
  // organisation); the ticked ones always stay in sight. Without JavaScript the whole list shows.
  function filterableLists() {
    var seen = [];
    document.querySelectorAll("input[data-filterable]").forEach(function (input) {
      var list = input.closest("div[id]");
      if (!list || seen.indexOf(list) !== -1) return;
      seen.push(list);
      var box = document.createElement("input");
      box.type = "search";
      box.className = "list-filter";
      box.id = list.id + "-filter";
      box.setAttribute("aria-label", input.dataset.filterLabel || "");
      box.placeholder = input.dataset.filterLabel || "";
      box.setAttribute("aria-controls", list.id);
      list.parentNode.insertBefore(box, list);
      list.classList.add("filterable-list");
      box.addEventListener("input", function () {
        var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
        Array.prototype.forEach.call(list.children, function (option) {
          var text = option.textContent.toLowerCase();
          var ticked = option.querySelector("input:checked");
          option.hidden = !ticked && !words.every(function (w) { return text.indexOf(w) !== -1; });
        });
      });
    });
  }

  // A pressed button shows that it is working and takes no second press while its page loads. The server
  // does a form sent twice only once anyway (SubmitOnceMiddleware); this is what the person sees.
  function busyButtons() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      // getAttribute: a form with a field named "method" hides the form's own .method
      if (event.defaultPrevented || form.hasAttribute("hx-post") || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
      var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
      if (!button) return;
      button.classList.add("is-busy");
      button.setAttribute("aria-busy", "true");
      window.setTimeout(function () { button.disabled = true; }, 0); // after the form took the button's value
      window.setTimeout(function () { idle(button); }, 20000); // a connection that never answers: press again
    });
    window.addEventListener("pageshow", function () { // back to this page: its buttons work again
      document.querySelectorAll("button.is-busy").forEach(idle);
    });
    function idle(button) {
      button.classList.remove("is-busy");
      button.removeAttribute("aria-busy");
      button.disabled = false;
    }
  }

  // Switching the language reloads the page: what was typed in its forms comes back in the new language.
  // Kept for this tab only (sessionStorage), put back into fields still empty, then forgotten.
  function keepTypedAcrossLanguage() {
    var KEY = "yishi-typed:" + location.pathname;
    var switcher = document.querySelector("form.language-switcher");
    function fields() {
      return Array.prototype.filter.call(document.querySelectorAll("main form[method=post] textarea, main form[method=post] input"), function (f) {
        return f.name && f.name !== "csrfmiddlewaretoken" && ["hidden", "password", "file", "checkbox", "radio", "submit"].indexOf(f.type) < 0;
      });
    }
    function id(f) { return (f.form.getAttribute("action") || "") + "|" + f.name; }
    if (switcher) {
      switcher.addEventListener("submit", function () {
        var typed = {};
        fields().forEach(function (f) { if (f.value.trim()) typed[id(f)] = f.value; });
        try { if (Object.keys(typed).length) sessionStorage.setItem(KEY, JSON.stringify(typed)); } catch (e) { /* private mode */ }
      });
    }
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); sessionStorage.removeItem(KEY); } catch (e) { saved = null; }
    if (!saved) return;
    fields().forEach(function (f) { if (!f.value && saved[id(f)]) f.value = saved[id(f)]; });
  }

  // The live meeting room (protocol in docs/realtime.md): frames carry the room's regions rendered on the
  // server, in this page's language and for this person's audience; this only puts them in place.
  function watchMeeting() {
    var room = document.querySelector("[data-live-meeting]");
    if (!room) return;
    window.setInterval(function () { if (socket) socket.send({ type: "ping" }); }, 25000); // "still here"
    var lastId = parseInt(room.dataset.lastId, 10) || 0;
    var form = document.getElementById("chat-form");
    var pending = "";
    var clockOffset = Date.now() - (Date.parse(room.dataset.serverNow) || Date.now()); // this phone's clock error
    var me = room.dataset.user;
    var lang = (document.documentElement.lang || "").toLowerCase();

    function notice(message) {
      var box = document.getElementById("live-notice");
      if (!box) return;
      var p = document.createElement("p");
      p.className = "message message-error";
      p.textContent = message;
      box.replaceChildren(p);
    }
    // Offer "raise" or "lower" ("I'm done" with the floor), whichever applies to me now.
    function showHand() {
      var mine = me && room.querySelector("#speaker-now [data-user='" + me + "'], #speaker-queue [data-user='" + me + "']");
      var raise = room.querySelector("form[data-room-action='hand.raise']");
      var lower = room.querySelector("form[data-room-action='hand.lower']");
      if (raise) raise.hidden = !!mine;
      if (lower) {
        lower.hidden = !mine;
        var speaking = me && room.querySelector("#speaker-now [data-user='" + me + "']");
        lower.querySelector("button").textContent = speaking ? lower.dataset.doneLabel : lower.dataset.lowerLabel;
      }
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
    function settle() { showHand(); tick(); }
    window.setInterval(tick, 1000);
    settle();

    var socket = liveSocket(function () {
      return "/ws/meetings/" + room.dataset.liveMeeting + "/?since=" + lastId + "&lang=" + encodeURIComponent(lang);
    }, function (frame) {
      if (frame.id) {
        if (frame.id <= lastId) return; // seen already (a reconnect can repeat the newest frames)
        lastId = frame.id;
      }
      if (frame.type === "welcome" && frame.now) clockOffset = Date.now() - Date.parse(frame.now);
      if (frame.type === "chat.message" && String(frame.author_id) === me) pending = "";
      if (frame.type === "minutes.published" && typedIn(document.getElementById("minutes-form"))) {
        document.getElementById("meeting-stale").hidden = false; // the secretary's unsaved text stays on screen
      } else {
        applySwaps(frame.swaps, settle);
      }
      if (frame.type === "meeting.status") { // opened or adjourned: the page's controls change, so load it again
        document.getElementById("meeting-stale").hidden = false; // unless that would lose what someone typed
        if (!typedIn(room)) window.setTimeout(function () { window.location.reload(); }, 800);
      }
      if (frame.type === "error") {
        notice(frame.message);
        if (frame["for"] === "chat.send" && pending && form) { form.querySelector("textarea").value = pending; pending = ""; }
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
    // Room buttons are forms: sent as frames while the socket is open (their fields are the frame's, the
    // same as the form's, see meetings/actions.py), posted as usual otherwise.
    room.addEventListener("submit", function (event) {
      var target = event.target.closest("form[data-room-action]");
      if (!target) return;
      var frame = { type: target.dataset.roomAction };
      target.querySelectorAll("input[name]:not([name=csrfmiddlewaretoken])").forEach(function (input) {
        frame[input.name] = input.value;
      });
      if (socket.send(frame)) event.preventDefault();
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

  // A field that matters only for some answers of another (the grid "when one grid votes", the options of a
  // poll that is not yes / no) shows only then: data-shown-when="audience=grid", "method!=yes_no" or
  // "secret=off" on its wrapper (core/forms.py). Hidden, it keeps what was typed in it; a field with an
  // error always shows.
  function dependentFields() {
    document.querySelectorAll("[data-shown-when]").forEach(function (wrapper) {
      var form = wrapper.closest("form");
      var rule = /^(\w+)(!?=)(.*)$/.exec(wrapper.dataset.shownWhen);
      if (!form || !rule) return;
      var controls = form.querySelectorAll("[name='" + rule[1] + "']");
      var values = rule[3].split(",");
      function current() {
        var value = "";
        controls.forEach(function (control) {
          if (control.type === "checkbox") value = control.checked ? "on" : "off";
          else if (control.type !== "radio" || control.checked) value = control.value;
        });
        return value;
      }
      function update() {
        var listed = values.indexOf(current()) !== -1;
        wrapper.hidden = !((rule[2] === "=") === listed || wrapper.querySelector(".errorlist"));
      }
      controls.forEach(function (control) { control.addEventListener("change", update); });
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    filterableLists();
    dependentFields();
    keepTypedAcrossLanguage();
    busyButtons();
    connectAccountSocket();
    watchIssue();
    watchIssueList();
    watchConsultation();
    watchMeeting();
    watchPoll();
  });
})();
