// The till. A barcode scanner is a keyboard that types a code and Enter in a few milliseconds, again and again, while
// the network may be slow: every scan is taken, in the order it arrived. The field is emptied the moment Enter
// lands, the code joins a queue, each code is looked up (several may be on the wire at once) and applied in turn.
// The sale being built and the one being charged live in the browser's storage, so a reload or the language switch
// loses nothing; a charge carries an Idempotency-Key kept with it and is retried with that key until the server
// answers, so a lost answer never sells twice. Prices shown are the catalog's; the server prices the sale itself.
(() => {
  const $ = (id) => document.getElementById(id);
  const strings = $("strings").dataset;
  const { api, money, ApiError, timeZone } = window.stockroom;
  const field = $("code");
  const maxQuantity = 1000000; // the API's limit per line
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  const cents = (price) => Math.round(Number(price) * 100);

  // ---- What survives a reload: {cart: [{product, quantity}], charging: null | {key, body, lines}} ----
  const storageKey = strings.storageKey;
  const state = (() => {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey));
      if (saved && Array.isArray(saved.cart)) return { cart: saved.cart, charging: saved.charging ?? null };
    } catch { /* storage off or spoiled: start empty */ }
    return { cart: [], charging: null };
  })();
  function save() {
    try { localStorage.setItem(storageKey, JSON.stringify(state)); } catch { /* private mode: the page still works */ }
  }

  // ---- Saying what went wrong: a list of problems (a burst may hold several), read out, with a tone ----
  const problems = [];
  function problem(text) {
    problems.push(text);
    showProblems();
    beep();
  }
  function clearProblems() {
    problems.length = 0;
    showProblems();
  }
  function showProblems() {
    $("problems").replaceChildren(...problems.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
    $("message").hidden = problems.length === 0;
  }
  let audio;
  function beep() {
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
  }

  // The code field has the keyboard after every add, receipt and charge, however it was made — unless the person
  // is typing in another field (a quantity), which a late lookup must not interrupt.
  function focusCode(options) {
    const active = document.activeElement;
    if (active && active !== field && active.matches("input, select, textarea")) return;
    field.focus(options);
  }
  // A scanner types into whatever has the focus: a key that would type a character on a button or on the page
  // itself goes to the code field instead (moving the focus on keydown sends the character there).
  document.addEventListener("keydown", (event) => {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.matches?.("input, select, textarea, [contenteditable]")) return;
    field.focus();
  }, true);

  // ---- Scans ----
  // "CODE*3" → CODE, three; a quantity that is not a whole number from 1 up is refused here, naming the scan.
  function parse(text) {
    const trimmed = text.trim();
    const match = trimmed.match(/^(.*?)\s*\*\s*(-?\d+)$/);
    const scan = match ? { code: match[1].trim(), quantity: Number(match[2]) } : { code: trimmed, quantity: 1 };
    if (!scan.code || scan.code.length > 100 || !Number.isSafeInteger(scan.quantity) || scan.quantity < 1 || scan.quantity > maxQuantity) {
      problem(fill(strings.badQuantity, { code: trimmed, max: maxQuantity }));
      return null;
    }
    return scan;
  }

  const queue = []; // scans in the order they arrived, each with its lookup under way
  const known = new Map(); // barcode → product, for codes this page has seen: a repeat needs no request
  let draining = null;
  let waitingLookups = 0;

  function enqueue(text) {
    const scan = parse(text);
    if (!scan) return;
    scan.lookup = lookup(scan.code);
    queue.push(scan);
    showLookups();
    draining ??= drain().finally(() => { draining = null; });
  }

  async function drain() {
    while (queue.length) {
      const scan = queue[0];
      let found;
      try {
        found = await scan.lookup;
      } catch (error) {
        found = { error };
      }
      queue.shift();
      try {
        take(scan, found);
      } catch (error) {
        problem(`${scan.code}: ${error.message}`); // reported, and the scans behind it still go on
      }
      showLookups();
    }
  }

  // The products matching a code; retried while the server cannot be reached, so a scan is never dropped.
  async function lookup(code) {
    const hit = known.get(code);
    if (hit) return [hit];
    for (let attempt = 0; ; attempt++) {
      try {
        const products = await api("GET", `/api/items?q=${encodeURIComponent(code)}`, undefined, undefined, { timeout: 10000, requireBody: true });
        for (const product of products) known.set(product.barcode, product);
        return products;
      } catch (error) {
        if (!retryable(error)) return { error };
        waitingLookups += 1;
        showLookups();
        await pause(backoff(attempt));
        waitingLookups -= 1;
      }
    }
  }

  function take(scan, found) {
    if (found.error) return problem(`${scan.code}: ${found.error.message}`);
    // the code as scanned, else the same letters in another case (barcodes "abc" and "ABC" may both exist)
    const exact = found.find((product) => product.barcode === scan.code)
      ?? found.find((product) => product.barcode.toLowerCase() === scan.code.toLowerCase());
    if (exact) return add(exact, scan.quantity);
    if (found.length === 0) return problem(`${strings.notFound} “${scan.code}”`);
    // Names contain it but no barcode is it: the cashier chooses (the list answers the exact code first).
    showResults(found, scan);
    beep();
  }

  // The queue shows itself when it is slow to empty, and says when the server is not answering.
  let lookupsTimer = null;
  function showLookups() {
    $("scan").dataset.pending = String(queue.length);
    clearTimeout(lookupsTimer);
    const box = $("lookups");
    if (!queue.length) { box.hidden = true; return; }
    const show = () => {
      const codes = queue.map((scan) => scan.code).join(", ");
      box.textContent = `${fill(strings.lookingUp, { count: queue.length })} ${codes}` + (waitingLookups ? ` · ${strings.waiting}` : "");
      box.hidden = false;
    };
    if (waitingLookups || !box.hidden) show();
    else lookupsTimer = setTimeout(show, 600);
  }

  function showResults(products, scan) {
    $("results-title").textContent = fill(strings.choose, { code: scan.code });
    $("results-title").hidden = false;
    $("results").replaceChildren(...products.map((product) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.barcode = product.barcode;
      button.textContent = `${product.name} · ${product.barcode} · ${money(product.price)} · ${strings.stock} ${product.stock}`;
      button.addEventListener("click", () => add(product, scan.quantity));
      item.append(button);
      return item;
    }));
  }

  function clearResults() {
    $("results").replaceChildren();
    $("results-title").hidden = true;
  }

  // ---- The cart ----
  function add(product, quantity) {
    startSale();
    const line = state.cart.find((line) => line.product.id === product.id);
    const { id, name, barcode, price } = product;
    if (line) line.quantity = Math.min(line.quantity + quantity, maxQuantity);
    else state.cart.push({ product: { id, name, barcode, price }, quantity });
    save();
    render();
    clearResults();
    focusCode();
  }

  function setQuantity(line, text) {
    const quantity = Number(text);
    if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > maxQuantity) {
      problem(fill(strings.badQuantity, { code: `${line.product.name} × ${text}`, max: maxQuantity }));
    } else {
      line.quantity = quantity;
      save();
    }
    render(line);
  }

  // `settled`: the line whose typed quantity was just taken or refused — its box shows the line's quantity again,
  // where any other box being typed in keeps what was typed.
  let rendering = false;
  function render(settled = null) {
    rendering = true;
    try {
      draw(settled);
    } finally {
      rendering = false;
    }
  }

  function draw(settled) {
    const body = $("cart").querySelector("tbody");
    // A quantity being typed survives a scan landing meanwhile (the rows are drawn anew).
    const active = document.activeElement;
    const editing = active?.matches?.("#cart input") ? { id: active.closest("tr").dataset.productId, value: active.value } : null;
    if (editing && String(settled?.product.id) === editing.id) editing.value = null;
    let total = 0;
    body.replaceChildren(...state.cart.map((line) => {
      const { product, quantity } = line;
      total += cents(product.price) * quantity;
      const row = document.createElement("tr");
      row.dataset.productId = product.id;
      const name = Object.assign(document.createElement("td"), { textContent: product.name });
      const amount = Object.assign(document.createElement("td"), { className: "num qty" });
      const less = Object.assign(document.createElement("button"), { type: "button", className: "step", textContent: "−" });
      less.setAttribute("aria-label", `${strings.oneLess}: ${product.name}`);
      less.addEventListener("click", () => { setQuantity(line, quantity - 1); focusCode(); });
      const typed = Object.assign(document.createElement("input"), { type: "number", min: 1, max: maxQuantity, step: 1, value: quantity });
      typed.setAttribute("aria-label", `${strings.quantity}: ${product.name}`);
      typed.setAttribute("inputmode", "numeric");
      // Committed on Enter or on leaving the box (a scan redrawing the cart meanwhile keeps what was typed).
      const commit = () => {
        if (!rendering && typed.isConnected && typed.value !== String(line.quantity)) setQuantity(line, typed.value);
      };
      typed.addEventListener("blur", commit);
      typed.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        commit();
        field.focus();
      });
      const more = Object.assign(document.createElement("button"), { type: "button", className: "step", textContent: "+" });
      more.setAttribute("aria-label", `${strings.oneMore}: ${product.name}`);
      more.addEventListener("click", () => { setQuantity(line, quantity + 1); focusCode(); });
      amount.append(less, typed, more);
      // the unit price is an "opt" column: phones leave it out (the subtotal stays)
      const price = Object.assign(document.createElement("td"), { className: "num opt", textContent: money(product.price) });
      const subtotal = Object.assign(document.createElement("td"), { className: "num", textContent: money(cents(product.price) * quantity / 100) });
      const remove = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: strings.remove });
      remove.setAttribute("aria-label", `${strings.remove}: ${product.name}`);
      remove.addEventListener("click", () => {
        state.cart.splice(state.cart.indexOf(line), 1);
        save();
        render();
        focusCode();
      });
      const actions = document.createElement("td");
      actions.append(remove);
      row.append(name, amount, price, subtotal, actions);
      return row;
    }));
    if (editing) {
      const input = body.querySelector(`tr[data-product-id="${editing.id}"] input`);
      if (input) {
        if (editing.value !== null) input.value = editing.value;
        input.focus();
      }
    }
    $("total").textContent = money(total / 100);
    $("empty").hidden = state.cart.length > 0;
    // one charge at a time: the next sale is charged when this one's answer is in
    $("checkout").disabled = state.cart.length === 0 || Boolean(state.charging);
    showCharging();
  }

  // A new sale begins with its first item: the last receipt goes.
  function startSale() {
    if ($("receipt").hidden) return;
    $("receipt").hidden = true;
    field.scrollIntoView({ block: "nearest" });
  }

  // ---- Charging ----
  let chargeAsked = false;
  async function charge() {
    if (state.charging) return retryNow();
    if (chargeAsked) return;
    chargeAsked = true;
    try {
      await draining; // the codes scanned before Charge belong to this sale
    } finally {
      chargeAsked = false;
    }
    if (!state.cart.length || state.charging) return;
    clearProblems();
    clearResults();
    startSale();
    const items = state.cart.map(({ product, quantity }) => ({ item_id: product.id, quantity }));
    // The exact body is kept with its key: a retry after a reload sends the same bytes, which the server replays.
    state.charging = {
      key: newKey(), body: JSON.stringify({ items, payment_method: $("payment").value }), lines: state.cart, since: Date.now(),
    };
    state.cart = [];
    $("payment").value = "cash"; // the next sale starts from cash
    save();
    render();
    focusCode();
    send();
  }

  // 128 random bits; crypto.getRandomValues works on plain http too (a tablet on the shop's network).
  function newKey() {
    return "till-" + [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  // The server keeps a key's answer for a day; past that a repeat could be taken for a new sale, so the till stops
  // trying well before and asks the cashier to look at the sales list.
  const keyLifetime = 20 * 3600 * 1000;
  let sending = false;
  let chargeStatus = "charging";
  let chargeError = "";
  async function send() {
    if (sending) return;
    sending = true;
    try {
      for (let attempt = 0; state.charging; attempt++) {
        const pending = state.charging;
        if (Date.now() - (pending.since ?? Date.now()) > keyLifetime) {
          setChargeStatus("expired");
          break;
        }
        setChargeStatus("charging");
        // a frozen server shows that the till waits for it
        const slow = setTimeout(() => setChargeStatus("waiting"), 3000);
        let sale;
        let error;
        try {
          sale = await api("POST", "/api/sales/bulk", pending.body, "application/json",
            { headers: { "Idempotency-Key": pending.key }, timeout: 15000, requireBody: true });
        } catch (failure) {
          error = failure;
        } finally {
          clearTimeout(slow);
        }
        if (sale) {
          state.charging = null;
          save();
          render();
          // the sale is made: whatever happens to its receipt now, it is never charged again
          await showReceipt(sale, JSON.parse(pending.body).payment_method).catch((failure) => window.reportError?.(failure));
        } else if (verdict(error) === "retry") {
          setChargeStatus("retrying", error.message);
          await pause(backoff(attempt));
        } else if (verdict(error) === "refused") {
          giveBack(pending);
          problem(explain(error, pending.lines));
          focusCode();
        } else {
          // The session ended, or an answer the till cannot read: the sale waits here (and in storage) until the
          // cashier signs in again and retries it.
          setChargeStatus("stopped", error.message);
          break;
        }
      }
    } finally {
      sending = false;
    }
  }

  // What a failed try means: "retry" with the same key, "refused" (nothing was sold: the server said why), or
  // "stopped" (wait for the cashier).
  function verdict(error) {
    if (!(error instanceof ApiError) || retryable(error)) return "retry";
    const code = error.data?.code;
    if ([400, 404, 409, 422].includes(error.status) && typeof code === "string" && !code.startsWith("idempotency")) return "refused";
    return "stopped";
  }

  // The lines of a sale that was not made come back to the cart, before anything scanned meanwhile.
  function giveBack(pending) {
    state.charging = null;
    for (const line of pending.lines.slice().reverse()) {
      const later = state.cart.find((other) => other.product.id === line.product.id);
      if (later) state.cart.splice(state.cart.indexOf(later), 1);
      state.cart.unshift({ product: line.product, quantity: Math.min(line.quantity + (later?.quantity ?? 0), maxQuantity) });
    }
    save();
    render();
  }

  function retryNow() {
    for (const done of [...wakers]) done();
    if (!sending) send();
  }

  function setChargeStatus(status, error = "") {
    chargeStatus = status;
    chargeError = error;
    showCharging();
  }

  function showCharging() {
    const pending = state.charging;
    $("charging").hidden = !pending;
    $("charging").dataset.state = pending ? chargeStatus : "";
    if (!pending) return;
    const count = pending.lines.reduce((sum, line) => sum + line.quantity, 0);
    const total = pending.lines.reduce((sum, line) => sum + cents(line.product.price) * line.quantity, 0);
    $("charging-summary").textContent = fill(strings.chargingSummary, { count, total: money(total / 100) });
    const words = { charging: strings.charging, waiting: strings.waiting, retrying: strings.retrying, stopped: strings.stopped,
                    expired: strings.expired }[chargeStatus];
    $("charging-state").textContent = chargeError && chargeStatus !== "charging" ? `${words} (${chargeError})` : words;
    $("retry").hidden = !["retrying", "stopped"].includes(chargeStatus);
    $("release").hidden = chargeStatus !== "expired";
  }

  // What the server's refusal means for this cart, naming the product.
  function explain(error, lines) {
    const name = lines.find((line) => line.product.id === error.data?.product_id)?.product.name ?? "";
    if (error.data?.code === "insufficient_stock") {
      return fill(strings.outOfStock, { name, requested: error.data.requested, available: error.data.available });
    }
    if (error.data?.code === "product_unavailable" && name) return fill(strings.unavailable, { name });
    return error.message;
  }

  // The receipt names the store's bill number, the time, the seller and the payment, as the sale was recorded.
  async function showReceipt(sale, payment) {
    const recorded = await api("GET", `/api/sales/${sale.sale_id}`, undefined, undefined, { timeout: 5000 }).catch(() => null);
    $("receipt-number").textContent = recorded?.bill_number ?? sale.sale_id;
    $("receipt-date").textContent = new Date(recorded?.date ?? Date.now())
      .toLocaleString(document.documentElement.lang, timeZone ? { timeZone } : {});  // on the business clock, as the pages
    $("receipt-vendor").textContent = recorded?.vendor ?? "";
    const method = recorded?.payment_method ?? payment;
    $("receipt-payment").textContent = strings["pay" + method[0].toUpperCase() + method.slice(1)] ?? method;
    $("receipt-lines").replaceChildren(...sale.items.map((line) => {
      const row = document.createElement("tr");
      row.innerHTML = "<td></td><td class=num></td><td class=num></td>";
      row.children[0].textContent = line.name;
      row.children[1].textContent = `${line.quantity} × ${money(line.unit_price)}`;
      row.children[2].textContent = money(line.subtotal);
      return row;
    }));
    $("receipt-total").textContent = money(sale.total);
    // Items scanned while this sale was being charged already started the next one: its receipt still shows.
    $("receipt").hidden = false;
    $("receipt").dataset.saleId = sale.sale_id;
    // On a phone the receipt is below the cart: bring it on screen; the code field keeps the keyboard all the same.
    $("receipt").scrollIntoView({ block: "nearest" });
    focusCode({ preventScroll: true });
  }

  // ---- Waiting and retrying ----
  // Worth trying again with the same key: no answer, a timeout, a server error, or the first try still running.
  function retryable(error) {
    return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500
      || (error.status === 409 && error.data?.code === "idempotency_in_progress");
  }
  const backoff = (attempt) => Math.min(1000 * 2 ** attempt, 10000);
  // A pause before the next try; "Retry now" (or Enter) ends every pause at once.
  const wakers = new Set();
  function pause(ms) {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); wakers.delete(done); resolve(); };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });
  }

  // ---- The keyboard and the buttons ----
  $("scan").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = field.value;
    field.value = ""; // free for the next code at once
    if (text.trim()) return enqueue(text);
    // Enter on an empty field charges the sale (or, with nothing to charge, closes the last receipt).
    if (state.cart.length || queue.length) charge();
    else if (state.charging) retryNow();
    else { startSale(); focusCode(); }
  });
  $("checkout").addEventListener("click", () => { charge(); focusCode(); });
  $("retry").addEventListener("click", () => { retryNow(); focusCode(); });
  // Only for a sale that waited past its key's life: the cashier has checked the sales list and takes it back.
  $("release").addEventListener("click", () => {
    if (state.charging && !sending) giveBack(state.charging);
    focusCode();
  });
  $("payment").addEventListener("change", () => field.focus()); // a scan must not land in the list
  $("print").addEventListener("click", () => { window.print(); focusCode(); });
  $("again").addEventListener("click", () => { startSale(); clearProblems(); focusCode(); });

  render();
  focusCode();
  // A charge that was under way when the page was left goes on, with the same key.
  if (state.charging) send();
})();
