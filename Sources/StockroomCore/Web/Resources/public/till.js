// The till: scan or search (CODE*3 adds three), a cart, one request to sell it all, a printable receipt.
// Prices shown are the catalog's; the server prices the sale itself.
(() => {
  const $ = (id) => document.getElementById(id);
  const strings = $("strings").dataset;
  const cart = new Map(); // product id → {product, quantity}
  const { api, money } = window.stockroom;

  function say(text) {
    $("message").textContent = text;
    $("message").hidden = !text;
  }

  // "CODE*3" → code CODE, quantity 3; anything else is one.
  function parse(text) {
    const match = text.trim().match(/^(.*?)\s*\*\s*(\d{1,6})$/);
    return match ? { code: match[1], quantity: Number(match[2]) } : { code: text.trim(), quantity: 1 };
  }

  function showResults(products) {
    const list = $("results");
    list.replaceChildren(...products.map((product) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.barcode = product.barcode;
      button.textContent = `${product.name} · ${money(product.price)} · ${strings.stock} ${product.stock}`;
      button.addEventListener("click", () => add(product, 1));
      item.append(button);
      return item;
    }));
  }

  function add(product, quantity) {
    const line = cart.get(product.id) ?? { product, quantity: 0 };
    line.quantity += quantity;
    cart.set(product.id, line);
    render();
  }

  function render() {
    const body = $("cart").querySelector("tbody");
    let total = 0;
    body.replaceChildren(...[...cart.values()].map(({ product, quantity }) => {
      total += product.price * quantity;
      const row = document.createElement("tr");
      row.dataset.productId = product.id;
      // the unit price is an "opt" column: phones leave it out (the subtotal stays)
      for (const [text, className] of [[product.name, ""], [quantity, "num"], [money(product.price), "num opt"], [money(product.price * quantity), "num"]]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        if (className) cell.className = className;
        row.append(cell);
      }
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = strings.remove;
      remove.setAttribute("aria-label", `${strings.remove}: ${product.name}`);
      remove.addEventListener("click", () => { cart.delete(product.id); render(); });
      const cell = document.createElement("td");
      cell.append(remove);
      row.append(cell);
      return row;
    }));
    $("total").textContent = money(total);
    $("empty").hidden = cart.size > 0;
    $("checkout").disabled = cart.size === 0;
  }

  $("scan").addEventListener("submit", async (event) => {
    event.preventDefault();
    const { code, quantity } = parse($("code").value);
    // Enter on an empty field charges the sale: the whole till works from the keyboard (or a scanner).
    if (!code) {
      if (cart.size > 0 && !$("checkout").disabled) $("checkout").click();
      return;
    }
    say("");
    try {
      const products = await api("GET", `/api/items?q=${encodeURIComponent(code)}`);
      const exact = products.find((product) => product.barcode.toLowerCase() === code.toLowerCase());
      if (exact) {
        add(exact, quantity);
        $("code").value = "";
      } else if (products.length === 0) {
        say(`${strings.notFound} “${code}”`);
      }
      showResults(products);
    } catch (error) {
      say(error.message);
    }
    $("code").focus();
  });

  $("checkout").addEventListener("click", async () => {
    $("checkout").disabled = true;
    say("");
    try {
      const items = [...cart.values()].map(({ product, quantity }) => ({ item_id: product.id, quantity }));
      const sale = await api("POST", "/api/sales/bulk", { items, payment_method: $("payment").value });
      // The receipt names the store's bill number, the time, the seller and the payment, as the sale was recorded.
      const recorded = await api("GET", `/api/sales/${sale.sale_id}`).catch(() => null);
      $("receipt-number").textContent = recorded?.bill_number ?? sale.sale_id;
      $("receipt-date").textContent = new Date(recorded?.date ?? Date.now()).toLocaleString(document.documentElement.lang);
      $("receipt-vendor").textContent = recorded?.vendor ?? "";
      const payment = recorded?.payment_method ?? $("payment").value;
      $("receipt-payment").textContent = strings["pay" + payment[0].toUpperCase() + payment.slice(1)] ?? payment;
      $("receipt-lines").replaceChildren(...sale.items.map((line) => {
        const row = document.createElement("tr");
        row.innerHTML = "<td></td><td class=num></td><td class=num></td>";
        row.children[0].textContent = line.name;
        row.children[1].textContent = `${line.quantity} × ${money(line.unit_price)}`;
        row.children[2].textContent = money(line.subtotal);
        return row;
      }));
      $("receipt-total").textContent = money(sale.total);
      $("receipt").hidden = false;
      cart.clear();
      render();
      $("results").replaceChildren();
      $("payment").value = "cash";
      $("again").focus();
    } catch (error) {
      say(error.message);
      render();
    }
  });

  $("print").addEventListener("click", () => window.print());
  $("again").addEventListener("click", () => { $("receipt").hidden = true; $("code").focus(); });
  render();
})();
