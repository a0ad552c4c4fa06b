extension Language {
    /// Goods a customer brings back, on the sale page ({name}, {left}, {refund} are filled in by the page's script),
    /// and the API's refusals of a return (`error_code_<code>`).
    static let returnStrings: Strings = [
        "returns": ("Returns", "Devoluciones"),
        "no_returns": ("Nothing has come back.", "No se devolvió nada."),
        "refund": ("Refund", "Reembolso"),
        "restocked": ("back on the shelf", "de vuelta al estante"),
        "written_off": ("written off", "dado de baja"),
        "return_items": ("Return items", "Devolver artículos"),
        "sold": ("Sold", "Vendido"),
        "returned": ("Returned", "Devuelto"),
        "return_quantity": ("Coming back", "Se devuelve"),
        "return_to": ("Goes", "Destino"),
        "restock": ("Back on the shelf", "Al estante"),
        "write_off": ("Write off", "Dar de baja"),
        "write_off_reason": ("Why (damaged, expired…)", "Por qué (dañado, vencido…)"),
        "return_note": ("Note", "Nota"),
        "take_return": ("Take the return", "Registrar la devolución"),
        "return_too_many": ("“{name}”: at most {left} can come back.", "«{name}»: se pueden devolver {left} como máximo."),
        "return_reason_needed": ("“{name}”: say why it is written off.", "«{name}»: indica por qué se da de baja."),
        "return_nothing": ("Say how many of a product come back.", "Indica cuántas unidades de un producto se devuelven."),
        "return_refunded": ("Returned. Refund: {refund}", "Devolución registrada. Reembolso: {refund}"),
        "error_code_return_exceeds_sale": (
            "More would come back than was sold and not yet returned.", "Se devolvería más de lo vendido y aún no devuelto."
        ),
        "error_code_sale_has_returns": (
            "This sale has returns: it is no longer changed or voided.", "Esta venta tiene devoluciones: ya no se modifica ni se anula."
        ),
    ]
}
