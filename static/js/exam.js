// The exam screen: numbered saves, retries, the server's clock, keyboard shortcuts and reordering.
// Everything here is an enhancement: without JavaScript the form posts and the page reloads.
(function () {
  "use strict";
  // Once per page: a page restored from a history snapshot may run this file again, and every listener twice
  // would toggle the flag twice on one key press.
  if (window.certprepExamScreen) return;
  window.certprepExamScreen = true;

  // ---- numbered saves: every request carries a higher number than the last, so the server can refuse
  // answers that arrive late or come from another tab.
  var counters = {};
  // The answer form of an element: its ancestor, or the form it names with form="answer-form" (the flag and
  // "Review and submit" sit in the exam bar under exam conditions).
  function answerFormOf(element) {
    if (!element) return null;
    if (element.form && element.form.id === "answer-form") return element.form;
    return element.closest ? element.closest("#answer-form") : null;
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var form = answerFormOf(event.detail.elt);
    if (!form) return;
    var key = form.getAttribute("action");
    if (!(key in counters)) counters[key] = parseInt(form.dataset.seq || "0", 10);
    counters[key] += 1;
    event.detail.parameters.seq = String(counters[key]);
    // htmx sends the last Move button pressed as the form's submitter, but the order sent is already the moved
    // one (the buttons move items here): the server must not move it a second time.
    delete event.detail.parameters.move;
    if (event.detail.elt === form) {
      // A change (or a retry) is a save, never the action of the button htmx remembers as the form's last
      // submitter: after a failed "Save and next" or "Check answer" it must not move on or check by itself.
      event.detail.path = form.getAttribute("hx-post");
      delete event.detail.parameters.nav;
      setStatus("saving", "Saving…");
    }
  });

  function setStatus(kind, text) {
    var status = document.getElementById("save-status");
    if (!status) return;
    status.className = "save-status save-" + kind;
    status.textContent = text;
  }

  // ---- failures: say so, and retry the latest answer with a growing pause. A failed "Save and next" (or
  // Previous, Review, Check) is retried as a plain save: the student stays on the question, and the status says
  // when the answer is stored, so pressing the button again moves on.
  var retryDelay = 1000, retryTimer = null, unsaved = false;
  function retryNow(form) {
    window.clearTimeout(retryTimer);
    retryTimer = null;
    if (!document.body.contains(form)) return;
    // A request of this form still on its way (a newer save, Save and next) carries the answer on the screen:
    // let it finish rather than cancel it (if it fails, it schedules the next retry itself).
    if (form.matches(".htmx-request") || form.querySelector(".htmx-request")) return;
    htmx.trigger(form, "change");
  }
  function retry(event) {
    var form = answerFormOf(event.detail.elt);
    if (!form) return;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    // A refusal (an answer that does not fit, an expired form) comes back the same however often it is sent.
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      setStatus("error", "This answer could not be saved: reload the page.");
      return;
    }
    unsaved = true;
    setStatus("error", "Not saved — retrying…");
    // One pending retry is enough: it sends what the screen shows when it fires, not what failed.
    if (retryTimer !== null) return;
    retryTimer = window.setTimeout(function () { retryNow(form); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }
  document.addEventListener("htmx:sendError", retry);
  document.addEventListener("htmx:responseError", retry);
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) return;
    retryDelay = 1000;
    if (event.detail.elt.id === "answer-form") unsaved = false;
    // Once an order is stored, the "not saved yet" hint no longer applies.
    if (event.detail.elt.id === "answer-form" && document.querySelector("#save-status.save-saved")) {
      document.querySelectorAll("[data-order-hint]").forEach(function (hint) { hint.hidden = true; });
    }
  });
  // Leaving a question through the navigator sends nothing of it: while its answer is not saved, stay, and
  // retry at once (Save and next, Previous and Review carry the answer, so they may go).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    if (!unsaved || !link.closest || !link.closest(".navigator")) return;
    event.preventDefault();
    var form = document.getElementById("answer-form");
    setStatus("error", "Not saved — retrying… Stay on this question until it is saved.");
    if (form) retryNow(form);
  });
  // ---- only the latest navigation wins: a question asked for by an earlier click (navigator, Previous, Save
  // and next, Check) never replaces the one asked for later, so the address bar, the question on the screen and
  // the navigator's "current" always agree. An older question request still on its way is cancelled; a save is
  // never cancelled (it carries an answer), but the question it would move to is dropped if a later click came.
  var navTicket = 0, navRequest = null;
  function isNavigation(elt) {
    return !!(elt.matches && elt.matches(".navigator a, [data-nav], #answer-form [formaction]"));
  }
  function dropOlderNavigation() {
    navTicket += 1;
    if (navRequest && navRequest.readyState !== 4) navRequest.abort();
    navRequest = null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.defaultPrevented) return;
    var elt = event.detail.elt, xhr = event.detail.xhr, config = event.detail.requestConfig || {};
    var fetchesQuestion = config.verb === "get" && event.detail.target && event.detail.target.id === "exam-main";
    if (isNavigation(elt)) dropOlderNavigation();
    else if (!fetchesQuestion) return;
    // A follow-up request (the question a "Save and next" leads to) starts while its save is being handled,
    // so it belongs to the latest click. Listening on the element itself: an element swapped out of the page
    // still receives its own events, but the document no longer hears them.
    var ticket = navTicket;
    if (config.verb === "get") navRequest = xhr;
    elt.addEventListener("htmx:beforeOnLoad", function stale(loaded) {
      if (loaded.detail.xhr !== xhr) return;
      elt.removeEventListener("htmx:beforeOnLoad", stale);
      if (ticket !== navTicket) loaded.preventDefault();
    });
  });

  // ---- Back, Forward and reload show what the server holds. The exam pages keep no htmx history snapshot
  // (hx-history="false"): a snapshot is the page as first loaded, without the answers chosen since and with an
  // old save number, so the next change would be refused as coming from another tab. Instead of restoring one,
  // load the page again, once the saves on their way have arrived. Pages from the browser's back-forward cache
  // are reloaded for the same reason (the server also sends them with Cache-Control: no-store).
  var saves = [];
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!event.defaultPrevented && answerFormOf(event.detail.elt)) saves.push(event.detail.xhr);
  });
  function savesPending() {
    saves = saves.filter(function (xhr) { return xhr.readyState > 0 && xhr.readyState < 4; });
    return saves.length > 0 || retryTimer !== null;
  }
  function reloadWhenSaved(event) {
    event.preventDefault();
    dropOlderNavigation();
    var waited = 0;
    (function reloadSoon() {
      if (savesPending() && waited < 10000) {
        waited += 100;
        if (retryTimer !== null) { var form = document.getElementById("answer-form"); if (form) retryNow(form); }
        window.setTimeout(reloadSoon, 100);
        return;
      }
      window.location.reload();
    })();
  }
  document.addEventListener("htmx:historyCacheMiss", reloadWhenSaved);
  document.addEventListener("htmx:historyCacheHit", reloadWhenSaved);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });

  // The navigator item comes back with every save (out of band); keep the "n of N answered" count in step.
  // Counted after the settle: until then htmx keeps the old item's classes on the new one (for transitions).
  document.addEventListener("htmx:afterSettle", function () {
    var count = document.getElementById("answered-count");
    if (count) count.textContent = String(document.querySelectorAll(".nav-item.is-answered").length);
  });
  // A control outside the form (form="answer-form") does not bubble its change to the form: pass it on.
  document.addEventListener("change", function (event) {
    var form = answerFormOf(event.target);
    if (form && !form.contains(event.target)) htmx.trigger(form, "change");
  });
  document.addEventListener("answer-stale", function () {
    window.setTimeout(function () { window.location.reload(); }, 1200);
  });

  // ---- the clock: the server's remaining seconds, counted down locally and re-synced on every response.
  // The clock's element may be swapped with the question (under exam conditions it sits in the exam bar), so
  // the deadline lives here and each tick writes into whichever element is on the page.
  var timer = null, deadline = null;
  var announced = {};
  function startTimer() {
    timer = document.getElementById("timer");
    if (!timer) return;
    deadline = performance.now() + parseInt(timer.dataset.remaining, 10) * 1000;
    tick();
    window.setInterval(tick, 1000);
  }
  function secondsLeft() {
    return Math.max(0, Math.round((deadline - performance.now()) / 1000));
  }
  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)), ss = String(s).padStart(2, "0");
    return h ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }
  function spoken(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    if (m >= 1) return m + (m === 1 ? " minute" : " minutes") + (s && m < 5 ? " " + s + " seconds" : "") + " left";
    return s + " seconds left";
  }
  function announce(text) {
    var region = document.getElementById("timer-announcer");
    if (region) { region.textContent = ""; window.setTimeout(function () { region.textContent = text; }, 50); }
  }
  function tick() {
    if (deadline === null) return;
    timer = document.getElementById("timer");
    if (!timer) return;
    var left = secondsLeft();
    timer.querySelector("[data-timer-text]").textContent = format(left);
    timer.classList.toggle("timer-warning", left <= 600);
    timer.classList.toggle("timer-danger", left <= 60);
    [600, 300, 60].forEach(function (mark) {
      if (left <= mark && left > mark - 5 && !announced[mark]) {
        announced[mark] = true;
        announce(spoken(mark) + ".");
      }
    });
    if (left === 0 && !announced.end) {
      announced.end = true;
      announce("Time is up. Your saved answers are being submitted.");
      var grace = parseInt(timer.dataset.grace || "5", 10);
      window.setTimeout(function () { window.location.href = timer.dataset.resultsUrl; }, (grace + 1) * 1000);
    }
  }
  document.addEventListener("timer-sync", function (event) {
    if (deadline !== null && event.detail && typeof event.detail.remaining === "number") {
      deadline = performance.now() + event.detail.remaining * 1000;
    }
  });

  // ---- reordering: Move up/down buttons (keyboard) and drag and drop, both ending in one save.
  function announceOrder(item) {
    var list = item.parentElement, items = Array.prototype.slice.call(list.children);
    var region = document.getElementById("ordering-announcer");
    var text = item.querySelector(".ordering-text").textContent.trim();
    if (region) region.textContent = "“" + text + "” is now number " + (items.indexOf(item) + 1) + " of " + items.length + ".";
  }
  function refreshButtons(list) {
    var items = list.querySelectorAll(".ordering-item");
    items.forEach(function (item, index) {
      var up = item.querySelector("[data-move=up]"), down = item.querySelector("[data-move=down]");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === items.length - 1;
    });
  }
  function orderChanged(list) {
    refreshButtons(list);
    var form = list.closest("form");
    if (form) htmx.trigger(form, "change");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button) return;
    event.preventDefault();
    var item = button.closest(".ordering-item"), list = item.parentElement;
    if (button.dataset.move === "up" && item.previousElementSibling) list.insertBefore(item, item.previousElementSibling);
    else if (button.dataset.move === "down" && item.nextElementSibling) list.insertBefore(item.nextElementSibling, item);
    else return;
    orderChanged(list);
    var same = item.querySelector("[data-move=" + button.dataset.move + "]");
    (same && !same.disabled ? same : item.querySelector("[data-move]:not([disabled])")).focus();
    announceOrder(item);
  });
  function enableDragging(root) {
    if (!window.Sortable) return;
    (root || document).querySelectorAll("[data-ordering]").forEach(function (list) {
      if (list.dataset.sortable || list.closest("[data-locked]")) return;
      list.dataset.sortable = "1";
      window.Sortable.create(list, {
        animation: 120, handle: ".ordering-item", filter: "button", preventOnFilter: false,
        onEnd: function (event) { orderChanged(list); announceOrder(event.item); }
      });
    });
  }

  // ---- keyboard shortcuts (documented on the page); never while typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "select" || (tag === "input" && ["text", "number", "search"].indexOf(event.target.type) >= 0)) return;
    var form = document.getElementById("answer-form");
    var key = event.key.toLowerCase();
    if (key === "t" && deadline !== null) { announce(spoken(secondsLeft()) + "."); event.preventDefault(); return; }
    if (!form) return;
    if (/^[1-6]$/.test(key)) {
      var input = form.querySelector('[data-key="' + key + '"]:not([disabled])');
      if (input) { input.checked = input.type === "checkbox" ? !input.checked : true; input.focus(); htmx.trigger(form, "change"); event.preventDefault(); }
      return;
    }
    var nav = { n: "next", p: "prev", r: "review" }[key];
    if (nav) {
      var button = document.querySelector('[data-nav="' + nav + '"]:not([disabled])');
      if (button) { button.click(); event.preventDefault(); }
      return;
    }
    if (key === "f") {
      var flag = document.querySelector("[data-flag]");
      if (flag) { flag.checked = !flag.checked; htmx.trigger(form, "change"); event.preventDefault(); }
      return;
    }
    // S / U / G: how sure the student is (practice modes only); the same key again clears the mark.
    var mark = /^[sug]$/.test(key) ? form.querySelector('[data-confidence="' + key + '"]:not([disabled])') : null;
    if (mark) {
      mark.checked = !mark.checked;
      mark.focus();
      htmx.trigger(form, "change");
      event.preventDefault();
    }
  });

  // After a question is swapped in, move focus to its heading so screen readers start there.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "exam-main") {
      // Another question: nothing of it is waiting to be saved, and the status speaks of it.
      window.clearTimeout(retryTimer);
      retryTimer = null;
      unsaved = false;
      var main = document.getElementById("exam-main");
      if (main && main.dataset.saveStatus) setStatus("idle", main.dataset.saveStatus);
      var heading = document.getElementById("q-heading");
      if (heading) heading.focus();
      tick();
      enableDragging(document);
    }
  });

  document.addEventListener("DOMContentLoaded", function () { startTimer(); enableDragging(document); });
})();
