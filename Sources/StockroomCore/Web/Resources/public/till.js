// The till. A barcode scanner is a keyboard that types a code and Enter in a few milliseconds, again and again, while
// the network may be slow: every scan is taken, in the order it arrived. The field is emptied the moment Enter
// lands, the code joins a queue, each code is looked up (several may be on the wire at once) and applied in turn.
// The sale being built and the one being charged live in the browser's storage, so a reload or the language switch
// loses nothing; a charge carries an Idempotency-Key kept with it and is retried with that key until the server
// answers, so a lost answer never sells twice. Prices shown are the catalog's; the server prices the sale itself,
// and the cart's figures (discounts, tax) use its integer-cent arithmetic (`SaleService`) until its answer, which the
// receipt prints. Function keys and "+"/"-" on an empty code field are the cashier's: a scanner types neither.
(() => {
  const $ = (id) => document.getElementById(id);
  const strings = $("strings").dataset;
  const { api, money, ApiError, timeZone, beep, newKey: keyFor, keysTo } = window.stockroom;
  const field = $("code");
  const maxQuantity = 1000000; // the API's limit per line
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  const cents = (price) => Math.round(Number(price) * 100);
  // An amount typed with either decimal mark, in cents; null if it is not one (at most two decimals).
  const typedCents = (text) => {
    const match = text.trim().match(/^(\d{1,9})(?:[.,](\d{1,2}))?$/);
    return match ? Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0")) : null;
  };
  const percent = (basisPoints) => String(basisPoints / 100);

  // ---- What survives a reload: {cart: [{product, quantity, discount}], charging: null | {key, body, lines, received},
  // discount: the sale's (cents), selected: the product id "+"/"-" and the line discount act on} ----
  const storageKey = strings.storageKey;
  const state = (() => {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey));
      if (saved && Array.isArray(saved.cart)) {
        return { cart: saved.cart, charging: saved.charging ?? null, discount: saved.discount ?? 0, selected: saved.selected ?? null };
      }
    } catch { /* storage off or spoiled: start empty */ }
    return { cart: [], charging: null, discount: 0, selected: null };
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

  // The code field has the keyboard after every add, receipt and charge, however it was made — unless the person
  // is typing in another field (a quantity), which a late lookup must not interrupt.
  function focusCode(options) {
    const active = document.activeElement;
    if (active && active !== field && active.matches("input, select, textarea")) return;
    field.focus(options);
  }
  // A scanner types into whatever has the focus: a key typed on a button or on the page goes to the code field.
  keysTo(field);

  // ---- Scans ----
  // "CODE*3" → CODE, three; "3*CODE" (three typed, then "*", then the scan) too. "CODE x3" and "CODEx3",
  // StockManager's way, only when no barcode is the whole text (a code may end in "x3"): `whole` is looked up too.
  // A quantity that is not a whole number from 1 up is refused here, naming the scan.
  function parse(text) {
    const trimmed = text.trim();
    let suffix = trimmed.match(/^(.*?)\s*\*\s*(-?\d+)$/);
    const prefix = trimmed.match(/^(-?\d+)\s*\*\s*(.+)$/);
    // digits on both sides ("3*7791234567890", "42*3"): the shorter side is the quantity (the code, when even)
    if (suffix && prefix && prefix[1].length < prefix[2].length) suffix = null;
    const times = trimmed.match(/^(.*?\S)\s*[xX×]\s*(\d{1,7})$/);
    const scan = suffix ? { code: suffix[1].trim(), quantity: Number(suffix[2]) }
      : prefix ? { code: prefix[2].trim(), quantity: Number(prefix[1]) }
      : times ? { code: times[1].trim(), quantity: Number(times[2]), whole: trimmed }
      : { code: trimmed, quantity: 1 };
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
    if (scan.whole) scan.wholeLookup = lookup(scan.whole).catch((error) => ({ error }));
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
      if (scan.whole) {
        // "CODEx3": the whole text if a barcode is exactly that, else CODE three times if CODE is a barcode, else
        // the whole text as typed (a search by name)
        const whole = await scan.wholeLookup;
        const has = (list, code) => Array.isArray(list) && list.some((product) => product.barcode.toLowerCase() === code.toLowerCase());
        if (has(whole, scan.whole) || !has(found, scan.code)) Object.assign(scan, { code: scan.whole, quantity: 1, found: whole });
      }
      queue.shift();
      try {
        take(scan, scan.found ?? found);
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
    else state.cart.push({ product: { id, name, barcode, price }, quantity, discount: 0 });
    state.selected = id;
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
    if (!state.cart.some((line) => line.product.id === state.selected)) state.selected = state.cart.at(-1)?.product.id ?? null;
    const sums = figures(state.cart, state.discount);
    body.replaceChildren(...state.cart.map((line, index) => {
      const { product, quantity } = line;
      const row = document.createElement("tr");
      row.dataset.productId = product.id;
      // the line "+"/"-" and the line discount act on: a click on the row chooses it
      row.classList.toggle("selected", product.id === state.selected);
      row.addEventListener("click", (event) => {
        if (event.target.closest("button, input")) return;
        state.selected = product.id;
        save();
        render();
        focusCode();
      });
      const name = Object.assign(document.createElement("td"), { textContent: product.name });
      if (line.discount) name.append(" ", Object.assign(document.createElement("small"), { className: "line-off", textContent: `−${percent(line.discount)} % ${strings.off}` }));
      const amount = Object.assign(document.createElement("td"), { className: "num qty" });
      const less = Object.assign(document.createElement("button"), { type: "button", className: "step", textContent: "−" });
      less.setAttribute("aria-label", `${strings.oneLess}: ${product.name}`);
      less.addEventListener("click", () => { state.selected = product.id; setQuantity(line, quantity - 1); focusCode(); });
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
      more.addEventListener("click", () => { state.selected = product.id; setQuantity(line, quantity + 1); focusCode(); });
      amount.append(less, typed, more);
      // the unit price is an "opt" column: phones leave it out (the subtotal stays)
      const price = Object.assign(document.createElement("td"), { className: "num opt", textContent: money(product.price) });
      const subtotal = Object.assign(document.createElement("td"), { className: "num", textContent: money(sums.lines[index] / 100) });
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
    showFigures(sums);
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

  // ---- Figures: the server's arithmetic (`SaleService.priced` and `total`, `TaxSettings.apply`), in whole cents ----
  // BigInt: a line reaches 10¹⁴ cents, and times 10,000 basis points is past what a Number holds exactly.
  const taxRate = BigInt(strings.taxBasisPoints || 0);
  const taxIncluded = strings.pricesIncludeTax === "true";
  const maxDiscount = strings.maxDiscount === "" ? null : BigInt(strings.maxDiscount);
  function figures(lines, saleDiscount) {
    let gross = 0n;
    let subtotal = 0n;
    const totals = lines.map((line) => {
      const lineGross = BigInt(cents(line.product.price)) * BigInt(line.quantity);
      const lineTotal = lineGross - (lineGross * BigInt(line.discount ?? 0) + 5000n) / 10000n;
      gross += lineGross;
      subtotal += lineTotal;
      return lineTotal;
    });
    const discount = BigInt(saleDiscount ?? 0);
    const taxable = subtotal - discount;
    let tax = 0n;
    let total = taxable;
    if (taxRate > 0n && taxable >= 0n) {
      if (taxIncluded) tax = taxable - (taxable * 10000n + (10000n + taxRate) / 2n) / (10000n + taxRate);
      else { tax = (taxable * taxRate + 5000n) / 10000n; total = taxable + tax; }
    }
    // `given`: the discounts together, which the role's limit caps as a share of `gross`
    return { lines: totals.map(Number), gross, subtotal: Number(subtotal), discount: Number(discount), tax: Number(tax), total: Number(total),
             given: gross - taxable, tooMuch: discount > subtotal };
  }

  function showFigures(sums) {
    $("total").textContent = money(sums.total / 100);
    const parts = [];
    if (sums.discount || sums.given > 0n || sums.tax) parts.push(`${strings.subtotal} ${money(sums.subtotal / 100)}`);
    if (sums.discount) parts.push(`${strings.discount} −${money(sums.discount / 100)}`);
    if (taxRate > 0n) parts.push(`${strings.tax} ${percent(Number(taxRate))} %${taxIncluded ? ` (${strings.taxIncluded})` : ""} ${money(sums.tax / 100)}`);
    $("figures").textContent = parts.join(" · ");
    $("figures").hidden = parts.length === 0;
    // the line discount box speaks of the chosen line
    const line = selectedLine();
    $("line-discount-label").textContent = line ? fill(strings.lineDiscountFor, { name: line.product.name }) : strings.lineDiscount;
    const lineBox = $("line-discount");
    if (document.activeElement !== lineBox) lineBox.value = line?.discount ? percent(line.discount) : "";
    lineBox.disabled = !line;
    const saleBox = $("sale-discount");
    if (document.activeElement !== saleBox) saleBox.value = state.discount ? (state.discount / 100).toFixed(2) : "";
    showChange(sums.total);
  }

  const selectedLine = () => state.cart.find((line) => line.product.id === state.selected) ?? null;

  // "+" / "-" on an empty code field: the chosen line (else the last) one more or one less.
  function step(by) {
    const line = selectedLine() ?? state.cart.at(-1);
    if (!line) return problem(strings.noLine);
    setQuantity(line, line.quantity + by);
  }

  function setLineDiscount(text) {
    const line = selectedLine();
    if (!line) return;
    const basisPoints = text.trim() === "" ? 0 : typedCents(text);
    if (basisPoints === null || basisPoints > 10000) problem(strings.badLineDiscount);
    else line.discount = basisPoints;
    save();
    render();
  }

  function setSaleDiscount(text) {
    const amount = text.trim() === "" ? 0 : typedCents(text);
    if (amount === null) problem(strings.badSaleDiscount);
    else state.discount = amount;
    save();
    render();
  }

  // What the page refuses before asking the server (which refuses the same): a sale discount past the subtotal,
  // discounts past the role's limit, and cash received short of the total.
  function refusal(sums) {
    if (sums.tooMuch) return strings.badSaleDiscount;
    if (maxDiscount !== null && sums.given > 0n && sums.given * 10000n > sums.gross * maxDiscount) {
      return fill(strings.overLimit, { discount: (Number(sums.given * 10000n / sums.gross) / 100).toFixed(2), max: percent(Number(maxDiscount)) });
    }
    const received = receivedCents();
    if ($("payment").value === "cash" && received !== null && received < sums.total) {
      return fill(strings.receivedTooLittle, { received: money(received / 100), total: money(sums.total / 100) });
    }
    return null;
  }

  // ---- Cash received and change due (cash only; empty means the exact amount) ----
  function receivedCents() {
    const text = $("received").value;
    return text.trim() === "" ? null : typedCents(text);
  }

  function showChange(total) {
    const cash = $("payment").value === "cash";
    $("cash").hidden = !cash;
    const received = receivedCents();
    const box = $("change");
    box.classList.toggle("error", cash && received !== null && received < total);
    box.textContent = !cash || received === null ? "—"
      : received >= total ? money((received - total) / 100) : fill(strings.shortBy, { amount: money((total - received) / 100) });
  }

  function choosePayment(method) {
    $("payment").value = method;
    showChange(figures(state.cart, state.discount).total);
    // cash is counted now: its box takes the keyboard (a scan typed into it still reaches the sale, see below)
    if (method === "cash" && state.cart.length) $("received").focus();
    else field.focus();
  }

  // ---- Clear sale: asked once, confirmed by the same key or a click; the code field keeps the keyboard ----
  let clearTimer = null;
  function askClear() {
    if (!state.cart.length && !state.discount) return;
    if (!$("clear-confirm").hidden) return clearSale();
    $("clear-confirm").hidden = false;
    clearTimeout(clearTimer);
    clearTimer = setTimeout(keepSale, 8000);
    focusCode();
  }
  function keepSale() {
    clearTimeout(clearTimer);
    $("clear-confirm").hidden = true;
  }
  function clearSale() {
    keepSale();
    state.cart = [];
    state.discount = 0;
    state.selected = null;
    $("received").value = "";
    save();
    clearProblems();
    clearResults();
    render();
    window.stockroom.toast?.(strings.saleCleared);
    field.focus();
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
    const refused = refusal(figures(state.cart, state.discount));
    if (refused) {
      problem(refused);
      return;
    }
    clearProblems();
    clearResults();
    keepSale();
    startSale();
    const items = state.cart.map(({ product, quantity, discount }) => (discount
      ? { item_id: product.id, quantity, discount_percentage: discount / 100 } : { item_id: product.id, quantity }));
    const body = { items, payment_method: $("payment").value };
    if (state.discount) body.discount_amount = state.discount / 100;
    // The exact body is kept with its key: a retry after a reload sends the same bytes, which the server replays.
    state.charging = {
      key: newKey(), body: JSON.stringify(body), lines: state.cart, discount: state.discount, since: Date.now(),
      received: body.payment_method === "cash" ? receivedCents() : null,
    };
    state.cart = [];
    state.discount = 0;
    state.selected = null;
    $("received").value = "";
    $("payment").value = "cash"; // the next sale starts from cash
    save();
    render();
    focusCode();
    send();
  }

  const newKey = () => keyFor("till");

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
          await showReceipt(sale, pending).catch((failure) => window.reportError?.(failure));
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
    if (error.status === 403 && code === "discount_over_limit") return "refused";
    return "stopped";
  }

  // The lines of a sale that was not made come back to the cart, before anything scanned meanwhile.
  function giveBack(pending) {
    state.charging = null;
    for (const line of pending.lines.slice().reverse()) {
      const later = state.cart.find((other) => other.product.id === line.product.id);
      if (later) state.cart.splice(state.cart.indexOf(later), 1);
      state.cart.unshift({ product: line.product, quantity: Math.min(line.quantity + (later?.quantity ?? 0), maxQuantity),
                           discount: line.discount ?? 0 });
    }
    state.discount ||= pending.discount ?? 0;
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
    const total = figures(pending.lines, pending.discount).total;
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
    if (error.data?.code === "discount_over_limit") return fill(strings.overLimit, { discount: error.data.discount, max: error.data.max_discount });
    return error.message;
  }

  // The receipt names the store's bill number, the time, the seller and the payment, as the sale was recorded, and
  // prints the server's figures: each line (with its discount), the subtotal, the sale's discount, the tax line (rate,
  // base, tax), the total, and for cash what was received and the change. It is kept, per person and store, for a
  // reprint.
  async function showReceipt(sale, pending) {
    const recorded = await api("GET", `/api/sales/${sale.sale_id}`, undefined, undefined, { timeout: 5000 }).catch(() => null);
    const payment = JSON.parse(pending.body).payment_method;
    const receipt = {
      sale, number: recorded?.bill_number ?? sale.sale_id, date: recorded?.date ?? new Date().toISOString(), vendor: recorded?.vendor ?? "",
      payment: recorded?.payment_method ?? payment, received: payment === "cash" ? pending.received ?? null : null,
    };
    try { localStorage.setItem(lastReceiptKey, JSON.stringify(receipt)); } catch { /* the reprint is a comfort */ }
    drawReceipt(receipt);
    $("reprint").hidden = false;
    // Items scanned while this sale was being charged already started the next one: its receipt still shows.
    $("receipt").hidden = false;
    // On a phone the receipt is below the cart: bring it on screen; the code field keeps the keyboard all the same.
    $("receipt").scrollIntoView({ block: "nearest" });
    focusCode({ preventScroll: true });
  }

  const lastReceiptKey = `${storageKey}:receipt`;
  function lastReceipt() {
    try { return JSON.parse(localStorage.getItem(lastReceiptKey)); } catch { return null; }
  }

  function drawReceipt({ sale, number, date, vendor, payment, received }) {
    const row = (label, amount, className = "") => {
      const tr = document.createElement("tr");
      tr.className = className;
      tr.append(Object.assign(document.createElement("td"), { textContent: label }), Object.assign(document.createElement("td"), { className: "num", textContent: amount }));
      return tr;
    };
    $("receipt-number").textContent = number;
    $("receipt-date").textContent = new Date(date).toLocaleString(document.documentElement.lang, timeZone ? { timeZone } : {}); // the business clock
    $("receipt-vendor").textContent = vendor;
    $("receipt-payment").textContent = strings["pay" + payment[0].toUpperCase() + payment.slice(1)] ?? payment;
    $("receipt-lines").replaceChildren(...sale.items.map((line) => {
      const tr = document.createElement("tr");
      tr.innerHTML = "<td></td><td class=num></td><td class=num></td>";
      tr.children[0].textContent = line.name;
      if (line.discount_percentage) {
        tr.children[0].append(" ", Object.assign(document.createElement("small"), { textContent: `−${line.discount_percentage} % ${strings.off}` }));
      }
      tr.children[1].textContent = `${line.quantity} × ${money(line.unit_price)}`;
      tr.children[2].textContent = money(line.subtotal);
      return tr;
    }));
    const lines = [];
    const subtotal = sale.subtotal ?? sale.total;
    if (sale.discount || sale.tax) lines.push(row(strings.subtotal, money(subtotal), "receipt-subtotal"));
    if (sale.discount) lines.push(row(strings.discount, `−${money(sale.discount)}`, "receipt-discount"));
    if (sale.tax_rate) {
      // the base: what the tax is on (the total less the tax, whether prices include it or not)
      const base = Math.round(sale.total * 100) - Math.round(sale.tax * 100);
      const label = fill(strings.taxLine, { rate: sale.tax_rate, base: money(base / 100) }) + (sale.prices_include_tax ? ` (${strings.taxIncluded})` : "");
      lines.push(row(label, money(sale.tax), "receipt-tax"));
    }
    $("receipt-figures").replaceChildren(...lines);
    $("receipt-total").textContent = money(sale.total);
    const cash = [];
    if (received !== null && received !== undefined) {
      cash.push(row(strings.received, money(received / 100), "receipt-received"));
      const change = received - Math.round(sale.total * 100);
      cash.push(row(change >= 0 ? strings.changeGiven : fill(strings.shortBy, { amount: "" }).trim(), money(Math.abs(change) / 100), "receipt-change"));
    }
    $("receipt-cash").replaceChildren(...cash);
    $("receipt").dataset.saleId = sale.sale_id;
  }

  // The last receipt again, on screen and to the printer.
  function reprint() {
    const receipt = lastReceipt();
    if (!receipt) return problem(strings.noLastReceipt);
    drawReceipt(receipt);
    $("receipt").hidden = false;
    $("receipt").scrollIntoView({ block: "nearest" });
    window.print();
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
  $("payment").addEventListener("change", () => choosePayment($("payment").value)); // a scan must not land in the list
  $("clear").addEventListener("click", askClear);
  $("clear-yes").addEventListener("click", clearSale);
  $("clear-no").addEventListener("click", () => { keepSale(); focusCode(); });
  $("reprint").addEventListener("click", reprint);
  $("reprint").hidden = !lastReceipt();
  // The discount boxes take what was typed on Enter or on leaving; Enter gives the keyboard back to the code field.
  for (const [id, set] of [["line-discount", setLineDiscount], ["sale-discount", setSaleDiscount]]) {
    const box = $(id);
    box.addEventListener("change", () => set(box.value));
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      box.blur(); // "change" sets it
      field.focus();
    });
  }
  // Cash received: the change shows as it is typed; Enter charges. A scanner's code typed here by mistake (not an
  // amount a customer hands over: letters, or eight digits and more) goes to the sale as a scan.
  $("received").addEventListener("input", () => showChange(figures(state.cart, state.discount).total));
  $("received").addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const box = $("received");
    if (box.value.trim() && !/^\d{1,7}(?:[.,]\d{1,2})?$/.test(box.value.trim())) {
      const text = box.value;
      box.value = "";
      showChange(figures(state.cart, state.discount).total);
      field.focus();
      return enqueue(text);
    }
    field.focus();
    charge();
  });
  // The cashier's keys, wherever the focus is: function keys a scanner never types, and "+"/"-" on an empty code
  // field (or on the page, not in another box).
  const paymentKeys = { F2: "cash", F3: "card", F4: "transfer", F5: "other" };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (paymentKeys[event.key]) {
      event.preventDefault(); // F3 would search the page, F5 reload it
      return choosePayment(paymentKeys[event.key]);
    }
    if (event.key === "F9") {
      event.preventDefault();
      return askClear();
    }
    if (event.key === "Escape" && !$("clear-confirm").hidden) return keepSale();
    const elsewhere = !event.target.matches?.("input, select, textarea, [contenteditable]");
    if ((event.key === "+" || event.key === "-") && field.value === "" && (event.target === field || elsewhere)) {
      event.preventDefault();
      event.stopImmediatePropagation(); // not typed into the code field either
      step(event.key === "+" ? 1 : -1);
      field.focus();
    }
  }, true);
  $("print").addEventListener("click", () => { window.print(); focusCode(); });
  $("again").addEventListener("click", () => { startSale(); clearProblems(); focusCode(); });

  render();
  focusCode();
  // A charge that was under way when the page was left goes on, with the same key.
  if (state.charging) send();
})();
