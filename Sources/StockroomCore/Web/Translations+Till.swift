extension Language {
    /// The till's comforts (keys, discounts, cash and change) and the receipt's header, footer and paper.
    static let tillStrings: Strings = [
        "till_keys_hint": (
            "3*CODE or CODE x3 adds three · + / − steps the chosen line · F2 cash · F3 card · F4 transfer · F5 other · F9 clears the sale",
            "3*CODIGO o CODIGO x3 agrega tres · + / − cambia la línea elegida · F2 efectivo · F3 tarjeta · F4 transferencia · F5 otro · F9 vacía la venta"
        ),
        "clear_sale": ("Clear sale", "Vaciar venta"),
        "confirm_clear": ("Clear this sale? Press F9 again or", "¿Vaciar esta venta? Pulsa F9 otra vez o"),
        "yes_clear": ("Yes, clear it", "Sí, vaciarla"),
        "keep_sale": ("Keep it", "Conservarla"),
        "sale_cleared": ("Sale cleared.", "Venta vaciada."),
        "cash_received": ("Cash received", "Efectivo recibido"),
        "change_due": ("Change due", "Cambio a devolver"),
        "short_by": ("{amount} short", "Faltan {amount}"),
        "received_too_little": ("Received {received} is less than the total {total}.", "Lo recibido, {received}, es menos que el total {total}."),
        "discounts": ("Discounts", "Descuentos"),
        "line_discount": ("Line discount (%)", "Descuento de línea (%)"),
        "line_discount_for": ("Line discount (%) on {name}", "Descuento de línea (%) en {name}"),
        "sale_discount": ("Sale discount (amount)", "Descuento de la venta (importe)"),
        "discount_limit": ("You may give up to {max} % off.", "Puedes descontar hasta un {max} %."),
        "bad_line_discount": (
            "A line discount is a percent from 0 to 100 with at most two decimals.",
            "El descuento de línea es un porcentaje de 0 a 100 con dos decimales como mucho."
        ),
        "bad_sale_discount": (
            "The sale discount is an amount from 0 to the subtotal, with at most two decimals.",
            "El descuento de la venta es un importe de 0 al subtotal, con dos decimales como mucho."
        ),
        "over_limit": (
            "A discount of {discount} % is more than the {max} % you may give.", "Un descuento del {discount} % supera el {max} % que puedes dar."
        ),
        "no_line": ("Scan an item first.", "Escanea un artículo primero."),
        "off": ("off", "dto."),
        "reprint": ("Reprint last receipt", "Reimprimir último ticket"),
        "no_last_receipt": ("No receipt yet on this till.", "Aún no hay ticket en esta caja."),
        "tax_line": ("Tax {rate} % on {base}", "Impuesto {rate} % sobre {base}"),
        "tax_included": ("included", "incluido"),
        "tax_id_label": ("Tax id", "NIF"),
        "received": ("Received", "Recibido"),
        "change_given": ("Change", "Cambio"),
        // The company settings on /settings
        "receipt_settings": ("Receipt", "Ticket"),
        "shop_name": ("Shop name (empty: the company's)", "Nombre del comercio (vacío: el de la empresa)"),
        "shop_address": ("Address", "Dirección"),
        "shop_address_hint": ("A store with an address of its own prints that one instead.", "Una tienda con dirección propia imprime la suya."),
        "tax_id": ("Tax id", "NIF / identificación fiscal"),
        "receipt_footer": ("Footer text", "Texto al pie"),
        "receipt_width": ("Receipt printer paper", "Papel de la impresora de tickets"),
        "discount_limits": ("Largest discount at the till", "Descuento máximo en caja"),
        "max_discount_admin": ("Admins (% of the sale)", "Administradores (% de la venta)"),
        "max_discount_vendor": ("Vendors (% of the sale)", "Vendedores (% de la venta)"),
        "discount_limits_hint": (
            "Line and sale discounts together, as a share of the prices before discounts. Owners may give any.",
            "Descuentos de línea y de venta juntos, como parte de los precios sin descuento. Los dueños pueden dar cualquiera."
        ),
    ]
}
