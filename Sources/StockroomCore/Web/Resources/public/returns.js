// Goods a customer brings back (the sale page's return form): a quantity per line, at most what is left to return,
// back on the shelf or written off with a reason. One return is sent with an Idempotency-Key: the same return sent
// again after a lost answer keeps its key, so the money goes back once. The refund the server answered is shown in
// the shop's money.
(() => {
  const { api, showError, newKey, money, fill } = window.stockroom;
  const form = document.getElementById("return-form");
  const strings = form.dataset;
  const rows = [...form.querySelectorAll("tr[data-product]")];

  // A write-off asks why; units back on the shelf need no reason.
  for (const row of rows) {
    const reason = row.querySelector("input.reason");
    row.querySelector("select.restock").addEventListener("change", (event) => {
      reason.hidden = event.target.value !== "write_off";
      if (!reason.hidden) reason.focus();
    });
  }

  const refusal = (box, message) => Object.assign(new Error(message), { box });
  function body() {
    const items = [];
    for (const row of rows) {
      const box = row.querySelector("input.return-qty");
      const text = box.value.trim() || "0";
      const name = row.dataset.name;
      if (!/^\d{1,7}$/.test(text) || Number(text) > Number(row.dataset.left)) throw refusal(box, fill(strings.tooMany, { name, left: row.dataset.left }));
      if (Number(text) === 0) continue;
      const restock = row.querySelector("select.restock").value === "restock";
      const reason = row.querySelector("input.reason");
      if (!restock && !reason.value.trim()) throw refusal(reason, fill(strings.reasonNeeded, { name }));
      items.push(restock ? { item_id: Number(row.dataset.product), quantity: Number(text), restock }
        : { item_id: Number(row.dataset.product), quantity: Number(text), restock, reason: reason.value.trim() });
    }
    if (!items.length) throw refusal(rows[0].querySelector("input.return-qty"), strings.nothing);
    const note = form.elements.namedItem("note").value.trim();
    return note ? { items, note } : { items };
  }

  let attempt = { text: "", key: "" };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelectorAll("[aria-invalid]").forEach((box) => box.removeAttribute("aria-invalid"));
    form.querySelector(".form-error").hidden = true;
    let taken;
    try {
      taken = body();
    } catch (error) {
      showError(form, error);
      error.box.setAttribute("aria-invalid", "true");
      return error.box.focus();
    }
    const text = JSON.stringify(taken);
    if (text !== attempt.text) attempt = { text, key: newKey("return") };
    const button = document.getElementById("return-button");
    button.disabled = true;
    try {
      const answer = await api("POST", strings.apiReturn, taken, undefined, { headers: { "Idempotency-Key": attempt.key }, timeout: 20000, requireBody: true });
      // What came back is no longer left to return; the next return starts from zero with a new key.
      for (const item of taken.items) {
        const row = form.querySelector(`tr[data-product="${item.item_id}"]`);
        row.dataset.left = String(Number(row.dataset.left) - item.quantity);
        const returned = row.querySelector(".returned");
        returned.textContent = String(Number(returned.textContent) + item.quantity);
        const box = row.querySelector("input.return-qty");
        box.max = row.dataset.left;
        box.value = "0";
        box.disabled = row.dataset.left === "0";
      }
      form.elements.namedItem("note").value = "";
      attempt = { text: "", key: "" };
      const done = document.getElementById("return-done");
      done.textContent = fill(strings.refunded, { refund: money(answer.refund) });
      done.hidden = false;
    } catch (error) {
      showError(form, error);
    } finally {
      button.disabled = false;
    }
  });
})();
