extension Language {
    /// The valuation page: what the stock was worth at the end of a day.
    static let valuationStrings: Strings = [
        "valuation": ("Stock valuation", "Valorización del stock"),
        "valuation_at": ("At the end of", "Al cierre del"),
        "valuation_hint": ("Units and their cost as they stood at", "Unidades y su costo tal como estaban el"),
        "valuation_total": ("Value at cost", "Valor a costo"),
        "valuation_shelves": ("On the shelves", "En estantes"),
        "valuation_in_transit_value": ("On the way, at cost", "En camino, a costo"),
        "valuation_value": ("Value", "Valor"),
    ]
}
