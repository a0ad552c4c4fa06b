extension Language {
    static let stockStrings: Strings = [
        "adjust": ("Adjust", "Ajustar"),
        "counted_stock": ("Counted stock", "Stock contado"),
        "reason": ("Reason", "Motivo"),
        "reason_hint": ("Count, damage, found…", "Conteo, daño, hallazgo…"),
        "transfer": ("Transfer", "Transferir"),
        "to_store": ("To store", "A la tienda"),
        "kind": ("Kind", "Tipo"),
        "from": ("From", "Desde"),
        "to": ("To", "Hasta"),
        "change": ("Change", "Cambio"),
        "stock_after": ("Stock after", "Stock después"),
        "download_csv": ("Download CSV", "Descargar CSV"),
        "download_excel": ("CSV for Excel", "CSV para Excel"),
        "download_excel_hint": (
            "UTF-8 with a byte-order mark, which Excel on Windows needs to read accents",
            "UTF-8 con marca de orden de bytes, que Excel en Windows necesita para leer los acentos"
        ),
        "kind_opening": ("Opening stock", "Stock inicial"),
        "kind_sale": ("Sale", "Venta"),
        "kind_sale_edit": ("Sale edited", "Venta editada"),
        "kind_void": ("Sale voided", "Venta anulada"),
        "kind_adjustment": ("Adjustment", "Ajuste"),
        "kind_transfer_out": ("Transfer out", "Transferencia enviada"),
        "kind_transfer_in": ("Transfer in", "Transferencia recibida"),
        "kind_import": ("Import", "Importación"),
        "kind_receipt": ("Goods received", "Mercadería recibida"),
        "kind_return": ("Customer return", "Devolución de cliente"),
        "kind_write_off": ("Written off", "Baja"),
        "kind_count": ("Stock count", "Recuento"),
        "kind_transfer_loss": ("Lost in transit", "Perdido en tránsito"),
    ]
}
