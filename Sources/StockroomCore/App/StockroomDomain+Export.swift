// Every file of the server works with the domain's types; importing it here once makes them visible to all of them
// (and to whoever imports StockroomCore) without an import line in each file.
@_exported import StockroomDomain
