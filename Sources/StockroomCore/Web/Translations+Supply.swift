extension Language {
    /// The supply side's words: suppliers, purchase orders, transfers between stores, and receiving goods.
    static let supplyStrings: Strings = [
        "suppliers": ("Suppliers", "Proveedores"),
        "supplier": ("Supplier", "Proveedor"),
        "new_supplier": ("New supplier", "Nuevo proveedor"),
        "edit_supplier": ("Edit supplier", "Editar proveedor"),
        "contact": ("Contact", "Contacto"),
        "phone": ("Phone", "Teléfono"),
        "notes": ("Notes", "Notas"),
        "inactive": ("inactive", "inactivo"),
        "active_only": ("Active", "Activos"),
        "inactive_only": ("Inactive", "Inactivos"),
        "supplier_takes_orders": ("Active: takes new orders", "Activo: acepta pedidos nuevos"),
        "no_suppliers": ("No supplier takes orders yet.", "Aún no hay proveedores que acepten pedidos."),
        "purchase_orders": ("Purchase orders", "Pedidos de compra"),
        "purchase_order": ("Purchase order", "Pedido de compra"),
        "new_purchase_order": ("New order", "Nuevo pedido"),
        "order_number": ("Order", "Pedido"),
        "ordered": ("Ordered", "Pedido"),
        "still_due": ("Still due", "Pendiente"),
        "unit_cost": ("Unit cost", "Costo unitario"),
        "placed": ("Placed", "Enviado al proveedor"),
        "po_draft": ("draft", "borrador"),
        "po_ordered": ("awaiting goods", "esperando mercadería"),
        "po_partially_received": ("partly received", "recibido en parte"),
        "po_received": ("received", "recibido"),
        "po_cancelled": ("cancelled", "cancelado"),
        "save_draft": ("Save draft", "Guardar borrador"),
        "edit_lines": ("Change the draft", "Cambiar el borrador"),
        "place_order": ("Place order", "Enviar pedido"),
        "confirm_place": (
            "Place this order with the supplier? Its lines cannot change afterwards.",
            "¿Enviar este pedido al proveedor? Después sus líneas no podrán cambiar."
        ),
        "cancel_order": ("Cancel order", "Cancelar pedido"),
        "confirm_cancel_order": (
            "Cancel this order? What already arrived stays in stock.", "¿Cancelar este pedido? Lo que ya llegó queda en stock."
        ),
        "deliveries": ("Deliveries", "Entregas"),
        "no_deliveries": ("Nothing has arrived yet.", "Aún no llegó nada."),
        // The line editor (new order, draft, sending stock).
        "lines": ("Lines", "Líneas"),
        "add_product": ("Add a product", "Agregar un producto"),
        "choose_product": ("Several products match “{code}”; choose one:", "Varios productos coinciden con «{code}»; elige uno:"),
        "no_lines_yet": ("No lines yet.", "Aún no hay líneas."),
        "lines_needed": ("Add at least one product.", "Agrega al menos un producto."),
        // Receiving, for an order or a transfer ({name}, {count}, … are filled in by the page's script).
        "receive_goods": ("Receive goods", "Recibir mercadería"),
        "scan_to_count": ("Scan to count", "Escanea para contar"),
        "scan_hint": (
            "Each scan adds one to its line. Boxes start at what is due; change any.",
            "Cada escaneo suma uno a su línea. Las casillas empiezan en lo pendiente; cámbialas si hace falta."
        ),
        "scanned": ("{name}: {count}", "{name}: {count}"),
        "unknown_code": ("“{code}” is not on this list.", "«{code}» no está en esta lista."),
        "arrived": ("Arrived", "Llegó"),
        "receive": ("Receive", "Recibir"),
        "count_from_zero": ("Count from zero", "Contar desde cero"),
        "delivery_note": ("Delivery note", "Nota de la entrega"),
        "nothing_arrived": ("Nothing to receive: every box is 0.", "Nada que recibir: todas las casillas están en 0."),
        "bad_count": ("“{name}”: a count is a whole number from 0 to 1000000.", "«{name}»: la cantidad es un número entero de 0 a 1000000."),
        "over_receipt_line": ("“{name}”: {requested} is more than the {due} still due.", "«{name}»: {requested} es más de lo pendiente ({due})."),
        "reason_needed": ("“{name}”: say why units were lost.", "«{name}»: indica por qué se perdieron unidades."),
        // Transfers.
        "transfers": ("Transfers", "Transferencias"),
        "transfer_title": ("Transfer", "Transferencia"),
        "transfer_number": ("Transfer", "Transferencia"),
        "send_stock": ("Send stock", "Enviar stock"),
        "from_store": ("From store", "Desde la tienda"),
        "sent": ("Sent", "Enviado"),
        "units": ("Units", "Unidades"),
        "in_transit": ("In transit", "En tránsito"),
        "lost": ("Lost", "Perdido"),
        "loss_reason": ("Why lost", "Motivo de la pérdida"),
        "loss_reason_hint": ("Broken, missing…", "Roto, faltante…"),
        "transfer_in_transit": ("in transit", "en tránsito"),
        "transfer_partially_received": ("partly received", "recibida en parte"),
        "transfer_received": ("received", "recibida"),
        "on_the_way": ("on the way", "en camino"),
        "units_on_the_way": ("Units on their way to this store:", "Unidades en camino a esta tienda:"),
        // The API's refusals on this side (`error_code_<code>`), which the pages' scripts show in the reader's words.
        "error_code_duplicate_supplier": ("A supplier with that name exists.", "Ya existe un proveedor con ese nombre."),
        "error_code_supplier_inactive": (
            "That supplier is inactive: activate it to order from it.", "Ese proveedor está inactivo: actívalo para pedirle."
        ),
        "error_code_order_not_draft": ("This order was placed; its lines no longer change.", "Este pedido ya se envió; sus líneas ya no cambian."),
        "error_code_empty_order": ("An order needs at least one line.", "Un pedido necesita al menos una línea."),
        "error_code_order_closed": ("This order is closed; it cannot be cancelled.", "Este pedido está cerrado; no se puede cancelar."),
        "error_code_order_not_receiving": (
            "Goods arrive only against a placed order that is not fully received.",
            "La mercadería llega solo contra un pedido enviado y no recibido del todo."
        ),
        "error_code_over_receipt": ("More arrived than is still due on a line.", "Llegó más de lo pendiente en una línea."),
        "error_code_transfer_received": ("This transfer was already received in full.", "Esta transferencia ya se recibió completa."),
        "error_code_value_too_large": ("That is more stock value than can be kept.", "Es más valor de stock del que se puede guardar."),
    ]
}
