// Counting a store's shelves on a phone (the stock-count page). A scanner types a code and Enter in a few
// milliseconds, again and again, far faster than the server answers: the field is emptied the moment Enter lands (as
// at the till and the back door) and each code joins a queue that is sent in order, one at a time, as
// {"barcode", "add": 1} with its own Idempotency-Key. A scan whose answer was lost goes again with the same key, so
// the server counts it once: no scan is dropped and none counted twice. A number typed for a line joins the same
// queue ({"product_id", "counted"}), so it lands after the scans before it. Posting waits until the queue is empty.
(() => {
  const { api, newKey, keysTo, showError, fill, scanProblems } = window.stockroom;
  const table = document.getElementById("count-lines");
  const field = document.getElementById("scan-code");
  const strings = table.dataset;
  const body = table.querySelector("tbody");
  const rowFor = (productID) => body.querySelector(`tr[data-product="${productID}"]`);
  const signed = (value) => (value > 0 ? `+${value}` : String(value));

  // ---- What the page says ----
  const problem = scanProblems();

  // A line as the server answered it: its row (a new one for a product found outside the count), the totals above.
  function show(line) {
    let row = rowFor(line.product_id);
    if (!row) {
      row = body.querySelector("tr[data-product]")?.cloneNode(true) ?? newRow();
      row.dataset.product = String(line.product_id);
      row.dataset.barcode = line.barcode;
      row.dataset.name = line.product_name;
      const name = row.cells[0];
      name.replaceChildren(line.product_name, document.createElement("br"), Object.assign(document.createElement("small"), { className: "barcode", textContent: line.barcode }));
      const box = row.querySelector("input.count");
      box.id = `count-${line.product_id}`;
      row.querySelector("label")?.setAttribute("for", box.id);
      body.querySelector("tr:not([data-product])")?.remove(); // "nothing to show"
      body.append(row);
      watch(box);
    }
    row.querySelector(".expected").textContent = line.expected ?? "";
    const box = row.querySelector("input.count");
    if (document.activeElement !== box) box.value = line.counted ?? "";
    box.dataset.sent = String(line.counted ?? "");
    row.querySelector(".difference").textContent = line.difference === null ? "" : signed(line.difference);
    row.className = line.difference === null ? "" : line.difference > 0 ? "over" : line.difference < 0 ? "short" : "even";
    const rows = [...body.querySelectorAll("tr[data-product]")];
    document.getElementById("counted-lines").textContent = rows.filter((item) => item.querySelector(".expected").textContent !== "").length;
    document.getElementById("differing-lines").textContent = rows.filter((item) => !["", "0"].includes(item.querySelector(".difference").textContent)).length;
    return row;
  }
  function newRow() {
    const row = document.createElement("tr");
    row.innerHTML = '<td></td><td class="num expected"></td><td class="num counted"><input class="count" inputmode="numeric" autocomplete="off"></td><td class="num difference"></td>';
    return row;
  }

  // ---- The queue ----
  const queue = [];
  let sending = false;
  let waiters = [];
  function pending() {
    const note = document.getElementById("scan-pending");
    note.hidden = queue.length === 0;
    note.textContent = fill(strings.waiting, { count: queue.length });
    document.body.dataset.pending = String(queue.length); // what the browser tests wait on
  }
  function enqueue(entry) {
    queue.push({ entry, key: newKey("count") });
    pending();
    send();
  }
  const drained = () => (queue.length === 0 && !sending ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve)));
  // No answer, the database busy, or the same key still being answered: the same entry again, with the same key.
  const retryable = (error) => error.status === 0 || error.status === 503 || error.status === 429 || error.data?.code === "idempotency_in_progress";

  async function send() {
    if (sending) return;
    sending = true;
    while (queue.length) {
      const { entry, key } = queue[0];
      try {
        const line = await api("POST", strings.api + "/lines", entry, undefined, { headers: { "Idempotency-Key": key }, timeout: 15000, requireBody: true });
        const row = show(line);
        if (entry.barcode) {
          document.getElementById("scan-status").textContent = fill(strings.scanned, { name: line.product_name, count: line.counted });
          row.classList.remove("scanned");
          void row.offsetWidth; // restart the flash for a repeat of the same code
          row.classList.add("scanned");
        }
      } catch (error) {
        if (retryable(error)) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          continue;
        }
        const code = error.data?.code;
        problem(code === "product_not_found" && entry.barcode ? fill(strings.unknownCode, { code: entry.barcode }) : error.message);
        // A count closed meanwhile takes nothing more: what is queued would only be refused again.
        if (code === "count_closed") queue.splice(1);
      }
      queue.shift();
      pending();
    }
    sending = false;
    waiters.splice(0).forEach((resolve) => resolve());
  }
  window.addEventListener("beforeunload", (event) => { if (queue.length) event.preventDefault(); });

  // ---- Scans and typed counts ----
  document.getElementById("scan").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = field.value.trim();
    field.value = ""; // free for the next code at once
    if (code) enqueue({ barcode: code, add: 1 });
    field.focus();
  });
  keysTo(field);

  // A line's box takes the number on the shelf: Enter or leaving the box sends it. What a scanner typed into it
  // (anything but a plain number of up to seven digits) is a scan: the box gets back what it held.
  function watch(box) {
    const row = box.closest("tr");
    box.addEventListener("focus", () => { box.dataset.before = box.value; });
    const typed = () => {
      const text = box.value.trim();
      if (text === (box.dataset.sent ?? "") || text === "") return;
      if (!/^\d{1,7}$/.test(text) || Number(text) > 1000000) {
        box.value = box.dataset.before ?? "";
        return problem(fill(strings.badCount, { name: row.dataset.name }));
      }
      box.dataset.sent = text;
      enqueue({ product_id: Number(row.dataset.product), counted: Number(text) });
    };
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const text = box.value.trim();
      const before = box.dataset.before ?? "";
      if (!/^\d{1,7}$/.test(text)) {
        box.value = before;
        const code = text.startsWith(before) ? text.slice(before.length) : text;
        if (code) enqueue({ barcode: code, add: 1 });
      } else {
        typed();
      }
      box.dataset.before = box.value;
      field.focus();
    });
    box.addEventListener("change", typed);
  }
  body.querySelectorAll("input.count").forEach(watch);

  // ---- Post or abandon, once every scan is in ----
  const close = document.getElementById("close-count");
  close?.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (!window.confirm(action === "post" ? strings.confirmPost : strings.confirmAbandon)) return;
    close.querySelectorAll("button").forEach((item) => { item.disabled = true; });
    close.querySelector(".form-error").hidden = true;
    try {
      await drained();
      await api("POST", `${strings.api}/${action}`, undefined, undefined, { headers: { "Idempotency-Key": newKey(action) }, timeout: 30000 });
      window.location.assign(window.location.pathname + "?saved=1");
    } catch (error) {
      showError(close, error);
      close.querySelectorAll("button").forEach((item) => { item.disabled = false; });
    }
  });
  pending();
})();
