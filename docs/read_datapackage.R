# read_datapackage(path): the tables of a Frictionless Data Package as typed data frames.
#
# Types come from each resource's Table Schema in datapackage.json, never from guessing:
# integer -> integer, number -> double, date -> Date, a string with categories -> factor
# with the schema's levels in order, list -> a list column of character vectors, other
# strings (partial dates included) -> character. Empty cells are NA; an empty list is
# character(0). Needs the jsonlite and readr packages (Debian: r-cran-jsonlite r-cran-readr).
#
#   source("docs/read_datapackage.R")
#   tables <- read_datapackage("datapackage/datapackage.json")
#   str(tables$visits)

read_datapackage <- function(path = "datapackage.json") {
  if (dir.exists(path)) path <- file.path(path, "datapackage.json")
  descriptor <- jsonlite::fromJSON(path, simplifyVector = FALSE)
  root <- dirname(path)
  tables <- list()
  for (resource in descriptor$resources) {
    if (is.null(resource$schema)) next
    tables[[resource$name]] <- .read_resource(root, resource)
  }
  tables
}

.column_type <- function(field) {
  type <- if (is.null(field$type)) "string" else field$type
  if (type == "string" && !is.null(field$categories)) {
    levels <- vapply(field$categories, function(c) c$value, character(1))
    return(readr::col_factor(levels = levels))
  }
  switch(type,
    integer = readr::col_integer(),
    number = readr::col_double(),
    date = readr::col_date(format = "%Y-%m-%d"),
    boolean = readr::col_logical(),
    readr::col_character()
  )
}

.read_resource <- function(root, resource) {
  fields <- resource$schema$fields
  names <- vapply(fields, function(f) f$name, character(1))
  spec <- do.call(readr::cols_only, stats::setNames(lapply(fields, .column_type), names))
  file <- file.path(root, resource$path)
  missing <- unlist(resource$schema$missingValues)
  if (is.null(missing)) missing <- ""
  frame <- readr::read_csv(
    file,
    col_types = spec,
    na = missing,
    locale = readr::locale(encoding = if (is.null(resource$encoding)) "UTF-8" else resource$encoding),
    trim_ws = FALSE,
    progress = FALSE,
    show_col_types = FALSE
  )
  trouble <- readr::problems(frame)
  if (nrow(trouble) > 0) {
    first <- trouble[1, ]
    stop(sprintf(
      "%s:%d: %s: expected %s, found %s",
      file, first$row + 1L, names[first$col], first$expected, first$actual
    ), call. = FALSE)
  }
  if (!identical(names(frame), names)) {
    stop(sprintf("%s: the header is not %s", file, paste(names, collapse = ",")), call. = FALSE)
  }
  for (field in fields) {
    if (identical(field$type, "list")) {
      delimiter <- if (is.null(field$delimiter)) "," else field$delimiter
      values <- frame[[field$name]]
      frame[[field$name]] <- lapply(values, function(v) {
        if (is.na(v)) character(0) else strsplit(v, delimiter, fixed = TRUE)[[1]]
      })
    }
    if (!is.null(field$description)) attr(frame[[field$name]], "description") <- field$description
  }
  frame
}
