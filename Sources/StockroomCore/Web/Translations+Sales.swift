extension Language {
    static let salesStrings: Strings = [
        "vendor": ("Vendor", "Vendedor"),
        "recent_sales": ("Latest sales", "Últimas ventas"),
        "product_filter": ("Product", "Producto"),
        "items": ("Items", "Artículos"),
        "payment": ("Payment", "Pago"),
        "discount": ("Discount", "Descuento"),
        "tax": ("Tax", "Impuesto"),
        "edit_sale": ("Correct this sale", "Corregir esta venta"),
        "void_sale": ("Void sale", "Anular venta"),
        "confirm_void": ("Void this sale and put its items back in stock?", "¿Anular esta venta y devolver sus artículos al stock?"),
        "sale_completed": ("completed", "completada"),
        "sale_voided": ("voided", "anulada"),
        "pay_cash": ("Cash", "Efectivo"),
        "pay_card": ("Card", "Tarjeta"),
        "pay_transfer": ("Transfer", "Transferencia"),
        "pay_other": ("Other", "Otro"),
        "till_hint": ("CODE*3 adds three · Enter on an empty field charges", "CODIGO*3 agrega tres · Intro con el campo vacío cobra"),
        // The till's own words ({code}, {name}, … are filled in by its script).
        "choose_match": ("No product has the code “{code}”; choose one:", "Ningún producto tiene el código «{code}»; elige uno:"),
        "bad_quantity": ("“{code}”: a quantity is a whole number from 1 to {max}.", "«{code}»: la cantidad es un número entero de 1 a {max}."),
        "out_of_stock": (
            "Not enough stock of “{name}”: {requested} asked, {available} available.",
            "No hay stock suficiente de «{name}»: se piden {requested}, hay {available}."
        ),
        "unavailable_here": ("“{name}” is not on sale in this store.", "«{name}» no está a la venta en esta tienda."),
        "looking_up": ("Looking up {count}:", "Buscando {count}:"),
        "being_charged": ("Charging this sale:", "Cobrando esta venta:"),
        "charging_summary": ("{count} items · {total}", "{count} artículos · {total}"),
        "charging": ("Waiting for the server’s answer…", "Esperando la respuesta del servidor…"),
        "waiting_server": (
            "The server is slow to answer; still waiting. The sale is kept.",
            "El servidor tarda en responder; seguimos esperando. La venta se conserva."
        ),
        "retrying": (
            "No answer from the server; trying again with the same sale, which is never charged twice.",
            "Sin respuesta del servidor; se reintenta la misma venta, que nunca se cobra dos veces."
        ),
        "charge_stopped": ("Not charged yet; the sale is kept.", "Aún no cobrada; la venta se conserva."),
        "next_sale_hint": ("What you scan now goes to the next sale.", "Lo que escanees ahora va a la siguiente venta."),
        "retry_now": ("Retry now", "Reintentar ahora"),
        "charge_expired": (
            "This sale has waited for the server for almost a day: check the sales list to see whether it was made, then take it back to the cart if not.",
            "Esta venta lleva casi un día esperando al servidor: revisa la lista de ventas por si se hizo y, si no, devuélvela a la venta en curso."
        ),
        "back_to_cart": ("Back to the cart", "Devolver a la venta en curso"),
        "one_less": ("One less", "Uno menos"),
        "one_more": ("One more", "Uno más"),
    ]
}
