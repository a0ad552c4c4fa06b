// Goods arriving at the back door, on a phone with a barcode scanner (the receive-form partial): an order's delivery
// or a transfer coming in. Each line's box starts at what is due; a scan adds one to the line whose barcode it is.
// A scanner types a code and Enter in a few milliseconds, again and again, as the till's does: the field is emptied
// the moment Enter lands (so the next code never joins the last), and each code is counted at once, in order —
// the codes are the list's own, so no scan waits for the server. A key typed on the page goes to the scan field;
// a code typed by mistake into a count box counts as a scan. One receipt is posted for the whole delivery with an
// Idempotency-Key, so a phone that lost the answer and sends it again is received once.
(() => {
  const { api, showError, follow, newKey, keysTo, fill, scanProblems } = window.stockroom;
  const form = document.getElementById("receive");
  const field = document.getElementById("scan-code");
  const strings = form.dataset;
  const lines = [...form.querySelectorAll(".receive-line")];
  const byCode = new Map(lines.map((line) => [line.dataset.barcode, line]));
  const count = (line) => line.querySelector("input.count"); // what arrived (the first box of a line)

  // ---- Scans ----
  const problem = scanProblems();
  // the code as scanned, else the same letters in another case
  const lineFor = (code) => byCode.get(code) ?? lines.find((line) => line.dataset.barcode.toLowerCase() === code.toLowerCase());
  function scan(text) {
    const code = text.trim();
    if (!code) return;
    const line = lineFor(code);
    if (!line) return problem(fill(strings.unknownCode, { code }));
    const box = count(line);
    box.value = String((Number(box.value) || 0) + 1);
    check(line);
    document.getElementById("scan-status").textContent = fill(strings.scanned, { name: line.dataset.name, count: box.value });
    line.classList.remove("scanned");
    void line.offsetWidth; // restart the flash for a repeat of the same code
    line.classList.add("scanned");
  }
  document.getElementById("scan").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = field.value;
    field.value = ""; // free for the next code at once
    scan(text);
    field.focus();
  });
  keysTo(field);

  // A count box takes a count; Enter there never sends the delivery. What a scanner typed into it (letters, eight
  // digits or more, or a code on this list) is a scan: the box gets back what it held and the code is counted.
  for (const box of form.querySelectorAll("input.count")) {
    box.addEventListener("focus", () => { box.dataset.before = box.value; });
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const typed = box.value.trim();
      const before = box.dataset.before ?? "";
      const added = typed.startsWith(before) ? typed.slice(before.length) : typed;
      if (/^\d{1,7}$/.test(typed) && !lineFor(added)) {
        box.dataset.before = box.value;
        return field.focus();
      }
      box.value = before;
      scan(added);
      field.focus();
    });
    box.addEventListener("input", () => check(box.closest(".receive-line")));
  }

  // A line past what is due, unless its order allows more, is marked before the server would refuse it; a loss
  // needs its reason.
  function check(line) {
    const arrived = Number(count(line).value);
    const lost = Number(line.querySelector("[data-key=lost]")?.value || 0);
    const over = line.dataset.allowOver === undefined && arrived + lost > Number(line.dataset.due);
    count(line).toggleAttribute("aria-invalid", over);
    line.classList.toggle("over", over);
    const reason = line.querySelector("[data-key=reason]");
    if (reason) reason.required = lost > 0;
  }

  document.getElementById("count-from-zero").addEventListener("click", () => {
    for (const line of lines) {
      count(line).value = "0";
      check(line);
    }
    field.focus();
  });

  // ---- The receipt ----
  // Each line with something in it: its counts as numbers, its reason when units were lost; a line left at 0 is
  // not sent (the API takes lines of at least one unit).
  function body() {
    const sent = [];
    for (const line of lines) {
      const item = { line_id: Number(line.dataset.line) };
      let units = 0;
      for (const box of line.querySelectorAll("[data-key]")) {
        const key = box.dataset.key;
        if (key === "reason") continue;
        const text = box.value.trim() || "0";
        if (!/^\d{1,7}$/.test(text) || Number(text) > 1000000) throw refusal(box, fill(strings.badCount, { name: line.dataset.name }));
        item[key] = Number(text);
        units += item[key];
      }
      if (units === 0) continue;
      const reason = line.querySelector("[data-key=reason]");
      if (reason && item.lost > 0) {
        if (!reason.value.trim()) throw refusal(reason, fill(strings.reasonNeeded, { name: line.dataset.name }));
        item.reason = reason.value.trim();
      }
      sent.push(item);
    }
    if (!sent.length) throw refusal(field, strings.nothing);
    const note = form.elements.namedItem("note").value.trim();
    return note ? { lines: sent, note } : { lines: sent };
  }
  const refusal = (box, message) => Object.assign(new Error(message), { box });

  // The same delivery sent again keeps its key (the server answers it once); a changed one gets a new key.
  let attempt = { text: "", key: "" };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelectorAll("[aria-invalid]").forEach((box) => box.removeAttribute("aria-invalid"));
    form.querySelector(".form-error").hidden = true;
    let delivery;
    try {
      delivery = body();
    } catch (error) {
      showError(form, error);
      error.box.setAttribute("aria-invalid", "true");
      return error.box.focus();
    }
    const text = JSON.stringify(delivery);
    if (text !== attempt.text) attempt = { text, key: newKey("receipt") };
    const button = document.getElementById("receive-button");
    button.disabled = true;
    try {
      await api("POST", strings.receive, delivery, undefined, { headers: { "Idempotency-Key": attempt.key }, timeout: 20000 });
      follow(strings.next);
    } catch (error) {
      showError(form, error);
      // More than is due on a line: the line by name, with the numbers the server counted.
      const facts = error.data ?? {};
      const line = facts.code === "over_receipt" && lines.find((item) => item.dataset.line === String(facts.line_id));
      if (line) {
        const due = facts.in_transit ?? facts.ordered - facts.received;
        form.querySelector(".form-error").textContent = fill(strings.overReceipt, { name: line.dataset.name, requested: facts.requested, due });
        count(line).setAttribute("aria-invalid", "true");
      }
    } finally {
      button.disabled = false;
    }
  });
})();
