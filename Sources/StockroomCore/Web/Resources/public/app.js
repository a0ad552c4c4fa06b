// Shared by every page: one way to call the API (with the session's CSRF token), forms and buttons that act
// through the API, and the live notifications (bell count and toasts over EventSource).
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const strings = document.getElementById("app-strings")?.dataset ?? {};
  const errorStrings = document.getElementById("error-strings")?.dataset ?? {};
  // A field's label on the page, looked up when an error names it (rows added by a script have labels too); a line's
  // field ("lines[2].quantity") answers for the API's plain name ("quantity").
  function labelOf(name) {
    for (const label of document.querySelectorAll("label")) {
      const field = label.querySelector("[name]") ?? (label.htmlFor && document.getElementById(label.htmlFor));
      if (field?.name && (field.name === name || field.name.endsWith(`].${name}`))) return label.firstChild?.textContent?.trim();
    }
    return undefined;
  }

  // The API's error in the reader's language when the page knows its code (the field by its label on the page).
  class ApiError extends Error {
    constructor(data, status) {
      const known = data.code && errorStrings[data.code];
      super(known ? known.replace("{field}", (data.field && labelOf(data.field)) || data.field || "") : data.error || `HTTP ${status}`);
      this.data = data;
      this.status = status;
    }
  }

  // JSON both ways; a text body with its own type (a CSV file, or JSON already written) when `type` is given.
  // `options.headers` adds headers (an Idempotency-Key); `options.timeout` (ms) gives up on a server that does not
  // answer, as if it could not be reached; `options.requireBody` takes a success without its JSON for no answer (a
  // sale's 201 cut short must be retried, not taken as done).
  async function api(method, path, body, type, options = {}) {
    const abort = options.timeout ? new AbortController() : null;
    const timer = abort && setTimeout(() => abort.abort(), options.timeout);
    let response;
    let data;
    try {
      response = await fetch(path, {
        method, credentials: "same-origin", signal: abort?.signal,
        headers: { "Content-Type": type ?? "application/json", "Accept": "application/json", "X-CSRF-Token": csrf, ...options.headers },
        body: body === undefined ? undefined : type ? body : JSON.stringify(body),
      });
      data = await response.json().catch((error) => {
        if ((response.ok && options.requireBody) || abort?.signal.aborted) throw error;
        return {};
      });
    } catch {
      // The browser's own words ("Failed to fetch") mean nothing at a till: say it in the reader's language.
      throw new ApiError({ code: "network" }, 0);
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) throw new ApiError(data, response.status);
    return data;
  }

  // Amounts as the server writes them on this page (the reader's language, the company's currency): the pattern
  // comes from the server's own formatter, so a total the till adds up reads like the receipt the server prints.
  const moneyFormat = (() => { try { return JSON.parse(strings.money || "null"); } catch { return null; } })();
  const money = (value) => {
    const format = moneyFormat;
    if (!format) return Number(value).toFixed(2);
    const fixed = Math.abs(Number(value)).toFixed(format.fraction);
    let [whole, fraction] = fixed.split(".");
    if (whole.length >= format.min_group) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, format.group);
    const digits = fraction ? whole + format.decimal + fraction : whole;
    return (Number(value) < 0 && Number(fixed) !== 0 ? "-" : "") + format.prefix + digits + format.suffix;
  };
  window.stockroom = { api, money, ApiError, timeZone: moneyFormat?.time_zone };

  // An Idempotency-Key: 128 random bits; crypto.getRandomValues works on plain http too (a tablet on the shop's
  // network), where crypto.randomUUID does not.
  window.stockroom.newKey = (prefix) => prefix + "-" + [...crypto.getRandomValues(new Uint8Array(16))]
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");

  // A short low tone for a scan that went wrong, heard at a till or a back door without looking at the screen.
  let audio;
  window.stockroom.beep = () => {
    try {
      audio ??= new AudioContext();
      audio.resume(); // a context made before any key was pressed starts suspended
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.type = "square";
      tone.frequency.value = 330;
      gain.gain.value = 0.08;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch { /* no sound here: the message still shows */ }
  };

  // The words of a script's message with its values ("{name}: {count}").
  window.stockroom.fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

  // What went wrong with the scans so far, listed under a scan field (#scan-problems in #scan-message), each with the
  // error tone: a page keeps the list its scanner's codes made.
  window.stockroom.scanProblems = () => {
    const problems = [];
    return (text) => {
      problems.push(text);
      document.getElementById("scan-problems").replaceChildren(...problems.map((item) => Object.assign(document.createElement("li"), { textContent: item })));
      document.getElementById("scan-message").hidden = false;
      window.stockroom.beep();
    };
  };

  // A barcode scanner types into whatever has the focus: a key that would type a character on a button or on the
  // page itself goes to `field` instead (moving the focus on keydown sends the character there). Keys typed in
  // another box are the person's.
  window.stockroom.keysTo = (field) => document.addEventListener("keydown", (event) => {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.matches?.("input, select, textarea, [contenteditable]")) return;
    field.focus();
  }, true);

  // A script error on a signed-in page goes to the server's log (POST /api/debug/log), a few per page at most,
  // so an owner sees it in GET /api/debug/logs. Errors the API answered are the page's business, not reported.
  let reportsLeft = 5;
  function report(error, fallback) {
    if (!csrf || reportsLeft <= 0 || error instanceof ApiError) return;
    reportsLeft -= 1;
    const message = String(error?.message || fallback || "Script error").slice(0, 2000);
    const body = { message, url: location.pathname.slice(0, 500) };
    if (error?.stack) body.stack = String(error.stack).slice(0, 10000);
    api("POST", "/api/debug/log", body).catch(() => {});
  }
  window.addEventListener("error", (event) => report(event.error, event.message));
  window.addEventListener("unhandledrejection", (event) => report(event.reason));

  // A form's fields as the API's JSON: numbers from number inputs (or data-type="number"), booleans from
  // checkboxes, lists from data-type="list" (comma separated); an empty field is left out unless data-empty="null".
  // A name like "items[2].quantity" builds a list of objects; an object whose "_remove" box is ticked is dropped.
  function formBody(form) {
    const body = {};
    for (const field of form.elements) {
      if (!field.name || field.disabled || field.type === "submit") continue;
      const type = field.dataset.type ?? (field.type === "number" ? "number" : field.type === "checkbox" ? "bool" : "text");
      let value;
      if (type === "bool") {
        value = field.checked;
      } else {
        const text = field.value.trim();
        if (text === "") {
          // data-empty="null" clears a field, "blank" sends "" (a description emptied on purpose); else left out.
        if (field.dataset.empty === "null") value = null;
        else if (field.dataset.empty === "blank") value = "";
        else continue;
        } else {
          value = type === "number" ? Number(text) : type === "list" ? text.split(",").map((part) => part.trim()).filter(Boolean) : field.value;
        }
      }
      const path = field.name.match(/^(\w+)\[(\d+)\]\.(\w+)$/);
      if (!path) { body[field.name] = value; continue; }
      const list = (body[path[1]] ??= []);
      (list[Number(path[2])] ??= {})[path[3]] = value;
    }
    for (const [key, value] of Object.entries(body)) {
      if (Array.isArray(value)) body[key] = value.filter((item) => item && !(typeof item === "object" && item._remove)).map((item) => {
        if (typeof item === "object") delete item._remove;
        return item;
      });
    }
    return body;
  }

  // "/products/{id}" with the answer's id; "reload" reloads; nothing stays on the page.
  function follow(next, answer) {
    if (!next) return;
    if (next === "reload") return window.location.reload();
    window.location.assign(next.replace(/\{(\w+)\}/g, (_, key) => encodeURIComponent(answer?.[key] ?? answer?.data?.[key] ?? "")));
  }

  window.stockroom.showError = showError;
  window.stockroom.follow = follow;
  function showError(form, error) {
    const box = form.querySelector(".form-error") ?? form.appendChild(Object.assign(document.createElement("p"), { className: "error form-error" }));
    box.setAttribute("role", "alert");
    box.textContent = error.message;
    box.hidden = false;
    const field = error.data?.field && form.elements.namedItem(error.data.field);
    if (field?.focus) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  }

  // <form data-api="/api/products" data-method="POST" data-next="/products/{id}">
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.dataset.api) return;
    event.preventDefault();
    form.querySelectorAll("[aria-invalid]").forEach((field) => field.removeAttribute("aria-invalid"));
    form.querySelector(".form-error")?.setAttribute("hidden", "");
    const submit = form.querySelector('[type="submit"]');
    if (submit) submit.disabled = true;
    try {
      const answer = await api(form.dataset.method || "POST", form.dataset.api, formBody(form));
      const done = form.querySelector(".form-done");
      if (done) done.hidden = false;
      // data-reset empties the form once done (passwords must not stay typed in on a shared screen).
      if (form.dataset.reset !== undefined) form.reset();
      // Other scripts of the page may follow what was saved (the tokens list empties after a password change).
      form.dispatchEvent(new CustomEvent("stockroom:saved", { detail: answer }));
      // A saved setting replaces this browser's own choice (the header's language switch).
      if (form.dataset.clearCookie) document.cookie = `${form.dataset.clearCookie}=; Max-Age=0; path=/`;
      follow(form.dataset.next, answer);
    } catch (error) {
      showError(form, error);
      // The page's own scripts may say more (which line of a list the refusal is about).
      form.dispatchEvent(new CustomEvent("stockroom:refused", { detail: error }));
    } finally {
      if (submit) submit.disabled = false;
    }
  });

  // A row's panel (Adjust, Transfer, Edit…) floats over the page (app.css): one open at a time, its first field
  // focused, Escape closes it. Toggle events do not bubble, hence the capture.
  document.addEventListener("toggle", (event) => {
    const panel = event.target;
    if (!panel.matches?.("details.inline") || !panel.open) return;
    document.querySelectorAll("details.inline[open]").forEach((other) => { if (other !== panel) other.open = false; });
    panel.querySelector("form input:not([type=hidden]), form select")?.focus();
  }, true);
  document.addEventListener("keydown", (event) => {
    const panel = event.key === "Escape" && event.target.closest?.("details.inline[open]");
    if (!panel) return;
    panel.open = false;
    panel.querySelector("summary")?.focus();
  });

  // <button data-print>: the page's own print (no inline handlers: the content security policy forbids them).
  document.addEventListener("click", (event) => {
    if (event.target.closest("button[data-print]")) window.print();
  });

  // <button data-api="/api/sales/7/void" data-method="POST" data-confirm="…" data-next="reload">
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-api]");
    if (!button) return;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    button.disabled = true;
    try {
      follow(button.dataset.next || "reload", await api(button.dataset.method || "POST", button.dataset.api, button.dataset.body ? JSON.parse(button.dataset.body) : undefined));
    } catch (error) {
      toast(error.message, "error");
    } finally {
      button.disabled = false;
    }
  });

  // Toasts: a polite live region, each note for eight seconds (or until closed).
  function toast(text, type = "info", title = "") {
    const box = document.getElementById("toasts");
    if (!box) return;
    const note = document.createElement("div");
    note.className = `toast ${type}`;
    note.setAttribute("role", type === "error" ? "alert" : "status");
    if (title) note.append(Object.assign(document.createElement("strong"), { textContent: title }), " ");
    note.append(text);
    const close = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: "×" });
    close.setAttribute("aria-label", strings.close ?? "Close");
    close.addEventListener("click", () => note.remove());
    note.append(close);
    box.append(note);
    setTimeout(() => note.remove(), 8000);
  }
  window.stockroom.toast = toast;

  // The bell: the unread count, then a toast for each new notification. The server keeps one stream per person (a
  // new one closes the old), so one tab holds a lock and the stream and passes each event to the person's other
  // tabs over a BroadcastChannel; when that tab closes, another takes the lock and the stream over. (Without Web
  // Locks — a page not served over https or from localhost — each tab opens its own stream.)
  const bell = document.getElementById("bell-count");
  if (bell && window.EventSource) {
    const seen = new Set();
    const channel = window.BroadcastChannel ? new BroadcastChannel("stockroom-live") : null;
    const handle = (name, data, live = true) => {
      bell.textContent = data.unread_count;
      bell.hidden = data.unread_count === 0;
      for (const note of data.notifications.slice().reverse()) {
        if (seen.has(note.id)) continue;
        seen.add(note.id);
        if (name === "update") toast(note.message, note.type, note.title);
      }
      if (live) document.body.dataset.live = "on"; // what the browser tests wait for: events now arrive
    };
    channel?.addEventListener("message", (event) => handle(event.data.name, event.data.data));
    // A tab that is not the stream's holder starts from the current unread list.
    api("GET", "/api/notifications/unread").then((data) => { if (!seen.size) handle("init", data, false); }).catch(() => {});
    const listen = () => new Promise(() => {
      const stream = new EventSource("/api/notifications/stream");
      for (const name of ["init", "update"]) {
        stream.addEventListener(name, (event) => {
          const data = JSON.parse(event.data);
          handle(name, data);
          channel?.postMessage({ name, data });
        });
      }
    });
    if (navigator.locks) navigator.locks.request("stockroom-live", listen);
    else listen();
  }
})();
