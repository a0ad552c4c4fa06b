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
    ]
}
