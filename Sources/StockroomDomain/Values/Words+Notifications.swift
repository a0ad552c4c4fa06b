extension Language {
    /// The automatic notifications (`notification_<key>_title` / `_message`, see `NotificationText`). The English
    /// ones are also what the triggers store as the notification's title and message, which API clients read.
    /// `{product}`, `{store}`, `{stock}`, `{minimum}` and `{bill}` are the values the trigger kept.
    public static let notificationStrings: Strings = [
        "notification_sale_voided_title": ("Sale voided", "Venta anulada"),
        "notification_sale_voided_message": (
            "Sale #{bill} of {store} was voided; its stock is back on the shelf.",
            "La venta #{bill} de {store} se anuló; su stock volvió al estante."
        ),
        "notification_goods_received_title": ("Goods received", "Mercadería recibida"),
        "notification_goods_received_message": (
            "{units} units from {supplier} arrived at {store} (order #{order}).",
            "Llegaron {units} unidades de {supplier} a {store} (pedido #{order})."
        ),
        "notification_order_received_title": ("Order received", "Pedido recibido"),
        "notification_order_received_message": (
            "Order #{order} from {supplier} is fully received at {store}.",
            "El pedido #{order} de {supplier} se recibió completo en {store}."
        ),
        "notification_transfer_dispatched_title": ("Stock on its way", "Stock en camino"),
        "notification_transfer_dispatched_message": (
            "{units} units are on their way from {from} to {to} (transfer {transfer}).",
            "{units} unidades van en camino de {from} a {to} (transferencia {transfer})."
        ),
        "notification_transfer_discrepancy_title": ("Transfer short", "Transferencia incompleta"),
        "notification_transfer_discrepancy_message": (
            "{lost} units sent from {from} did not arrive at {to} (transfer {transfer}).",
            "{lost} unidades enviadas desde {from} no llegaron a {to} (transferencia {transfer})."
        ),
        "notification_goods_returned_title": ("Goods returned", "Devolución"),
        "notification_goods_returned_message": (
            "{units} units of sale #{bill} came back at {store}.",
            "Volvieron {units} unidades de la venta #{bill} en {store}."
        ),
        "notification_count_posted_title": ("Count posted", "Recuento registrado"),
        "notification_count_posted_message": (
            "Count {count} of {store} is posted: {corrections} products corrected, {units} units in all.",
            "Se registró el recuento {count} de {store}: {corrections} productos corregidos, {units} unidades en total."
        ),
        "notification_low_stock_title": ("Low stock", "Stock bajo"),
        "notification_low_stock_message": (
            "{product} is down to {stock} in {store} (minimum {minimum}).",
            "{product} bajó a {stock} en {store} (mínimo {minimum})."
        ),
        "notification_product_created_title": ("Product created", "Producto creado"),
        "notification_product_created_message": ("{product} was created.", "Se creó {product}."),
        "notification_product_updated_title": ("Product updated", "Producto actualizado"),
        "notification_product_updated_message": ("{product} was updated.", "Se actualizó {product}."),
        "notification_product_disabled_title": ("Product disabled", "Producto desactivado"),
        "notification_product_disabled_message": ("{product} was disabled.", "Se desactivó {product}."),
        "notification_product_activated_title": ("Product activated", "Producto activado"),
        "notification_product_activated_message": ("{product} was activated.", "Se activó {product}."),
        "notification_product_archived_title": ("Product archived", "Producto archivado"),
        "notification_product_archived_message": (
            "{product} was taken off sale in {store}; other stores keep it.",
            "{product} se retiró de la venta en {store}; las demás tiendas lo conservan."
        ),
        "notification_product_unarchived_title": ("Product restored", "Producto restaurado"),
        "notification_product_unarchived_message": ("{product} is on sale again in {store}.", "{product} vuelve a estar a la venta en {store}."),
        "notification_account_email_title": ("Your account was updated", "Tu cuenta ha sido actualizada"),
        "notification_account_email_message": ("Your email is now {email}.", "Tu correo ahora es {email}."),
        "notification_account_role_title": ("Your account was updated", "Tu cuenta ha sido actualizada"),
        "notification_account_role_message": ("Your role is now {role}.", "Tu rol ahora es {role}."),
        "notification_account_store_title": ("Your account was updated", "Tu cuenta ha sido actualizada"),
        "notification_account_store_message": ("You now work in {store}.", "Ahora trabajas en {store}."),
        "notification_account_password_title": ("Your password was reset", "Tu contraseña fue restablecida"),
        "notification_account_password_message": (
            "A manager set a new password for your account and ended its other sessions.",
            "Un responsable puso una contraseña nueva a tu cuenta y cerró sus otras sesiones."
        ),
        "notification_account_activated_title": ("Your account is active", "Tu cuenta está activa"),
        "notification_account_activated_message": ("Your account was activated again.", "Tu cuenta se activó de nuevo."),
        "notification_account_approved_title": ("Registration approved", "Registro aprobado"),
        "notification_account_approved_message": ("Your registration was approved. Welcome!", "Se aprobó tu registro. ¡Bienvenido!"),
        "notification_sale_registered_title": ("Sale registered", "Venta registrada"),
        "notification_sale_registered_message": ("Sale #{bill} was recorded in {store}.", "La venta #{bill} se registró en {store}."),
        "notification_sale_updated_title": ("Sale updated", "Venta modificada"),
        "notification_sale_updated_message": ("Sale #{bill} of {store} was changed.", "La venta #{bill} de {store} se modificó."),
        // The message of a refused sale is the page's text for the error's code (`error_code_<code>`).
        "notification_sale_error_title": ("Sale error", "Error en la venta"),
    ]
}
