/* fields: the canonical fields of each kind and the header synonyms that find them,
 * including the spellings of the real exports Cartograph is tested on (UCI Online
 * Retail, Tableau Superstore, Amazon Alexa reviews, REES46 events) and, for order lines,
 * products and customers, the usual headers of German, French, Spanish, Dutch and
 * Italian exports (after the English ones: an English header always wins). */
#include "ingest/fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define SYN(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Words for the fields several kinds share: English first, then German, French,
 * Spanish, Dutch and Italian (PRODUCT_NAME_ABROAD: those others only, as the kinds
 * rank their English words for a name differently). */
#define PRODUCT_ID_WORDS                                                                   \
	"productid", "stockcode", "sku", "itemid", "productcode", "itemcode",              \
	    "artikelnummer", "artikelnr", "produktnummer", "produktnr", "referenceproduit", \
	    "refproduit", "codeproduit", "codigodeproducto", "codigoproducto", "artikelcode", \
	    "codiceprodotto", "codicearticolo"
#define PRODUCT_NAME_ABROAD                                                                \
	"artikelbezeichnung", "bezeichnung", "produktname", "artikelname", "designation",  \
	    "libelle", "nomduproduit", "nomproduit", "nombredelproducto", "productnaam",    \
	    "omschrijving"
#define CUSTOMER_ID_WORDS                                                                  \
	"customerid", "customerno", "clientid", "kundennummer", "kundennr", "kundenid",    \
	    "numeroclient", "codeclient", "idclient", "idcliente", "numerocliente",         \
	    "codigocliente", "klantnummer", "klantid", "codicecliente"
#define COUNTRY_WORDS "country", "countrycode", "land", "pays", "pais", "paese"
#define REGION_WORDS                                                                       \
	"region", "state", "province", "bundesland", "provincia", "provincie", "regione"
#define CITY_WORDS "city", "town", "stadt", "ort", "ville", "ciudad", "plaats", "citta"
#define CATEGORY_WORDS                                                                     \
	"category", "productcategory", "department", "kategorie", "warengruppe",           \
	    "categorie", "categoria"

static const struct field_def order_line_fields[] = {
	{"order_id", FIELD_TEXT, FIELD_REQUIRED,
	 SYN("orderid", "invoiceno", "invoice", "invoiceid", "invoicenumber", "ordernumber",
	     "orderno", "transactionid", "bestellnummer", "bestellnr", "rechnungsnummer",
	     "rechnungsnr", "auftragsnummer", "auftragsnr", "belegnummer", "numerodecommande",
	     "numerocommande", "ndecommande", "ncommande", "numerofacture", "numerodepedido",
	     "numeropedido", "numerofactura", "bestelnummer", "ordernummer", "factuurnummer",
	     "numeroordine", "numerofattura")},
	{"order_date", FIELD_DATE, FIELD_REQUIRED,
	 SYN("orderdate", "invoicedate", "orderdatetime", "ordertime", "purchasedate",
	     "transactiondate", "createdat", "date", "bestelldatum", "rechnungsdatum",
	     "auftragsdatum", "belegdatum", "datum", "datedecommande", "datecommande",
	     "datefacture", "fechadepedido", "fechapedido", "fecha", "besteldatum",
	     "factuurdatum", "dataordine")},
	{"customer_id", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN(CUSTOMER_ID_WORDS, "buyerid", "userid", "customer")},
	{"product_id", FIELD_TEXT, FIELD_REQUIRED, SYN(PRODUCT_ID_WORDS)},
	{"product_name", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("productname", "description", "itemname", "itemdescription", "product",
	     "title", PRODUCT_NAME_ABROAD, "produkt", "produit", "descripcion", "producto",
	     "descrizione", "prodotto")},
	{"quantity", FIELD_INT, FIELD_REQUIRED,
	 SYN("quantity", "qty", "quantityordered", "units", "menge", "anzahl", "stuckzahl",
	     "quantite", "qte", "cantidad", "aantal", "hoeveelheid", "quantita")},
	{"unit_price", FIELD_DECIMAL, FIELD_ONE_OF,
	 SYN("unitprice", "priceeach", "itemprice", "price", "einzelpreis", "stuckpreis",
	     "preis", "prixunitaire", "prix", "preciounitario", "precio", "stukprijs", "prijs",
	     "prezzounitario", "prezzo")},
	{"line_total", FIELD_DECIMAL, FIELD_ONE_OF,
	 SYN("linetotal", "sales", "lineamount", "extendedprice", "revenue", "amount",
	     "total", "subtotal", "gesamtpreis", "betrag", "umsatz", "summe", "montant",
	     "totalligne", "importe", "bedrag", "totaal", "importo", "totale")},
	{"country", FIELD_TEXT, FIELD_OPTIONAL, SYN(COUNTRY_WORDS)},
	{"region", FIELD_TEXT, FIELD_OPTIONAL, SYN(REGION_WORDS)},
	{"city", FIELD_TEXT, FIELD_OPTIONAL, SYN(CITY_WORDS)},
	{"category", FIELD_TEXT, FIELD_OPTIONAL, SYN(CATEGORY_WORDS)},
	{"subcategory", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("subcategory", "productsubcategory")},
	{"channel", FIELD_TEXT, FIELD_OPTIONAL, SYN("channel", "saleschannel")},
	{"payment_method", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("paymentmethod", "paymenttype", "payment", "zahlungsart", "modedepaiement",
	     "metododepago", "betaalmethode", "metododipagamento")},
	{"discount", FIELD_DECIMAL, FIELD_OPTIONAL,
	 SYN("discount", "discountrate", "rabatt", "remise", "descuento", "korting",
	     "sconto")},
	{"profit", FIELD_DECIMAL, FIELD_OPTIONAL, SYN("profit", "margin")},
	{"status", FIELD_TEXT, FIELD_OPTIONAL, SYN("status", "orderstatus")},
};

static const struct field_def product_fields[] = {
	{"product_id", FIELD_TEXT, FIELD_REQUIRED, SYN(PRODUCT_ID_WORDS, "id")},
	{"name", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("name", "productname", "title", "itemname", PRODUCT_NAME_ABROAD)},
	{"description", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("description", "productdescription", "beschreibung", "descriptif",
	     "descripcion", "beschrijving", "descrizione")},
	{"category", FIELD_TEXT, FIELD_OPTIONAL, SYN(CATEGORY_WORDS)},
	{"subcategory", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("subcategory", "productsubcategory")},
	{"price", FIELD_DECIMAL, FIELD_OPTIONAL,
	 SYN("price", "unitprice", "listprice", "retailprice", "preis", "verkaufspreis",
	     "prix", "precio", "prijs", "prezzo")},
	{"cost", FIELD_DECIMAL, FIELD_OPTIONAL,
	 SYN("cost", "unitcost", "costprice", "einkaufspreis", "kosten", "cout",
	     "prixdachat", "coste", "costo", "inkoopprijs")},
	{"stock", FIELD_INT, FIELD_OPTIONAL,
	 SYN("stock", "inventory", "stocklevel", "quantityonhand", "qtyonhand", "onhand",
	     "instock", "bestand", "lagerbestand", "existencias", "voorraad", "giacenza")},
};

static const struct field_def customer_fields[] = {
	{"customer_id", FIELD_TEXT, FIELD_REQUIRED, SYN(CUSTOMER_ID_WORDS, "userid", "id")},
	{"name", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("name", "customername", "fullname", "kundenname", "nom", "nombre", "naam",
	     "nome")},
	{"email", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("email", "emailaddress", "mail", "emailadresse", "courriel", "correo",
	     "correoelectronico")},
	{"country", FIELD_TEXT, FIELD_OPTIONAL, SYN(COUNTRY_WORDS)},
	{"region", FIELD_TEXT, FIELD_OPTIONAL, SYN(REGION_WORDS)},
	{"city", FIELD_TEXT, FIELD_OPTIONAL, SYN(CITY_WORDS)},
	{"signup_date", FIELD_DATE, FIELD_OPTIONAL,
	 SYN("signupdate", "registered", "registrationdate", "joindate", "createdat",
	     "firstseen", "registrierungsdatum", "anmeldedatum", "dateinscription",
	     "fechaderegistro", "fecharegistro", "registratiedatum", "dataregistrazione")},
};

static const struct field_def review_fields[] = {
	{"review_id", FIELD_TEXT, FIELD_OPTIONAL, SYN("reviewid", "id")},
	{"product_id", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("productid", "asin", "sku", "stockcode", "itemid", "variation")},
	{"customer_id", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("customerid", "reviewerid", "userid")},
	{"rating", FIELD_INT, FIELD_ONE_OF,
	 SYN("rating", "stars", "starrating", "reviewscore", "score", "overall")},
	{"title", FIELD_TEXT, FIELD_OPTIONAL, SYN("title", "reviewtitle", "summary")},
	{"body", FIELD_TEXT, FIELD_ONE_OF,
	 SYN("body", "reviewtext", "reviewbody", "verifiedreviews", "text", "review",
	     "comment")},
	{"review_date", FIELD_DATE, FIELD_OPTIONAL,
	 SYN("reviewdate", "reviewtime", "createdat", "date")},
};

static const struct field_def event_fields[] = {
	{"event_time", FIELD_DATE, FIELD_REQUIRED,
	 SYN("eventtime", "timestamp", "eventdate", "datetime", "time")},
	{"event_type", FIELD_TEXT, FIELD_REQUIRED, SYN("eventtype", "event", "action")},
	{"session_id", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("sessionid", "usersession", "session", "visitid")},
	{"customer_id", FIELD_TEXT, FIELD_OPTIONAL,
	 SYN("customerid", "userid", "visitorid")},
	{"product_id", FIELD_TEXT, FIELD_OPTIONAL, SYN("productid", "itemid", "sku")},
	{"price", FIELD_DECIMAL, FIELD_OPTIONAL, SYN("price", "unitprice")},
};

#define KIND(name, fields) {name, "raw_" name, fields, (int)(sizeof fields / sizeof fields[0])}
static const struct kind_def kinds[] = {
	KIND("order_lines", order_line_fields),
	KIND("products", product_fields),
	KIND("customers", customer_fields),
	KIND("reviews", review_fields),
	KIND("events", event_fields),
};

const struct kind_def *kind_list(int *count)
{
	*count = (int)(sizeof kinds / sizeof kinds[0]);
	return kinds;
}

const struct kind_def *kind_find(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

int kind_field_index(const struct kind_def *kind, const char *field)
{
	for (int f = 0; f < kind->field_count; f++)
		if (strcmp(kind->fields[f].name, field) == 0)
			return f;
	return -1;
}

/* The letters of U+00C0 to U+00FF without their accents, in lower case ("" for the
 * signs among them): "Menge", "Quantité" and "Stück" fold as "menge", "quantite" and
 * "stuck". */
static const char *const latin1_letters[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
};

void header_fold(const char *header, size_t len, char *out, size_t out_size)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < out_size; i++) {
		unsigned char c = (unsigned char)header[i];
		if (c >= 'A' && c <= 'Z')
			out[n++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = (char)c;
		else if (c == 0xC3 && i + 1 < len && ((unsigned char)header[i + 1] & 0xC0) == 0x80) {
			/* U+00C0 to U+00FF, written C3 80 to C3 BF */
			const char *letters = latin1_letters[(unsigned char)header[++i] & 0x3F];
			for (; *letters && n + 1 < out_size; letters++)
				out[n++] = *letters;
		}
	}
	out[n] = '\0';
}

/* Rank of folded header among field's synonyms (0 best), or -1. */
static int synonym_rank(const struct field_def *field, const char *folded)
{
	char canonical[64];
	header_fold(field->name, strlen(field->name), canonical, sizeof canonical);
	if (strcmp(canonical, folded) == 0)
		return 0;
	for (int i = 0; field->synonyms[i]; i++)
		if (strcmp(field->synonyms[i], folded) == 0)
			return i + 1;
	return -1;
}

/* Maps columns to kind's fields by synonym rank. Returns how many fields matched. */
static int match_columns(const struct kind_def *kind, const struct csv_row *header,
			 int *column_of_field, int *field_of_column)
{
	int rank_of_field[MAX_FIELDS], matched = 0;
	for (int f = 0; f < kind->field_count; f++) {
		column_of_field[f] = -1;
		rank_of_field[f] = 1 << 30;
	}
	for (size_t c = 0; c < header->count; c++)
		field_of_column[c] = -1;
	for (size_t c = 0; c < header->count; c++) {
		char folded[128];
		header_fold(header->fields[c].data, header->fields[c].len, folded, sizeof folded);
		for (int f = 0; f < kind->field_count && field_of_column[c] < 0; f++) {
			int rank = synonym_rank(&kind->fields[f], folded);
			if (rank < 0 || rank >= rank_of_field[f])
				continue;
			if (column_of_field[f] >= 0) /* a better spelling replaces it */
				field_of_column[column_of_field[f]] = -1;
			else
				matched++;
			column_of_field[f] = (int)c;
			rank_of_field[f] = rank;
			field_of_column[c] = f;
		}
	}
	return matched;
}

/* Returns the name of the first required field kind lacks under this match (or the
 * ONE_OF group's names), or NULL when all are present. */
static const char *missing_required(const struct kind_def *kind, const int *column_of_field,
				    char *group, size_t group_size)
{
	int has_one_of = 0, any_one_of = 0;
	group[0] = '\0';
	for (int f = 0; f < kind->field_count; f++) {
		const struct field_def *fd = &kind->fields[f];
		if (fd->rule == FIELD_REQUIRED && column_of_field[f] < 0)
			return fd->name;
		if (fd->rule == FIELD_ONE_OF) {
			any_one_of = 1;
			has_one_of |= column_of_field[f] >= 0;
			size_t used = strlen(group);
			snprintf(group + used, group_size - used, "%s%s", used ? "' or '" : "",
				 fd->name);
		}
	}
	return any_one_of && !has_one_of ? group : NULL;
}

static void describe_header(const struct csv_row *header, struct buf *out)
{
	for (size_t c = 0; c < header->count && c < 30; c++) {
		buf_puts(out, c ? ", " : "");
		buf_append(out, header->fields[c].data,
			   header->fields[c].len > 40 ? 40 : header->fields[c].len);
	}
	if (header->count > 30)
		buf_printf(out, ", ... (%zu columns)", header->count);
}

/* The header's column named header, or -1. */
static int column_named(const struct csv_row *header, const char *name)
{
	for (size_t c = 0; c < header->count; c++)
		if (header->fields[c].len == strlen(name) &&
		    memcmp(header->fields[c].data, name, header->fields[c].len) == 0)
			return (int)c;
	return -1;
}

/* Splits a --map "field=Header" override: the field's name into field, and the header
 * returned; NULL when it has no '='. */
static const char *override_parts(const char *override, char *field, size_t field_size)
{
	const char *eq = strchr(override, '=');
	if (eq)
		snprintf(field, field_size, "%.*s", (int)(eq - override), override);
	return eq ? eq + 1 : NULL;
}

/* How many more of kind's fields the --map overrides find, among those match_columns
 * left without a column: a header of other words still tells its kind by them. */
static int matched_by_overrides(const struct kind_def *kind, const struct csv_row *header,
				char *const *overrides, int override_count,
				const int *column_of_field)
{
	int matched = 0;
	for (int i = 0; i < override_count; i++) {
		char field[64];
		const char *wanted = override_parts(overrides[i], field, sizeof field);
		int f = wanted ? kind_field_index(kind, field) : -1;
		matched += f >= 0 && column_of_field[f] < 0 && column_named(header, wanted) >= 0;
	}
	return matched;
}

/* Picks the kind whose fields the header (and the --map overrides) match most; the
 * caller then checks that kind's required columns, so a near miss gets a "missing
 * column" message. */
static const struct kind_def *detect_kind(const char *path, const struct csv_row *header,
					  char *const *overrides, int override_count,
					  int *field_of_column, struct error *err)
{
	const struct kind_def *best = NULL;
	int best_matched = 0, tie = 0;
	int column_of_field[MAX_FIELDS];
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		int matched = match_columns(&kinds[k], header, column_of_field, field_of_column) +
			      matched_by_overrides(&kinds[k], header, overrides, override_count,
						   column_of_field);
		if (matched > best_matched) {
			best = &kinds[k];
			best_matched = matched;
			tie = 0;
		} else if (matched == best_matched)
			tie = 1;
	}
	if (best && !tie && best_matched >= 2)
		return best;
	struct buf seen = BUF_INIT;
	describe_header(header, &seen);
	error_set(err, ERR_INPUT,
		  "%s:1: cannot tell what kind of data this is from its header (%s); "
		  "pass --kind order_lines|products|customers|reviews|events",
		  path, buf_str(&seen));
	buf_free(&seen);
	return NULL;
}

/* Applies one --map field=Header override. Returns 0 or ERR_INPUT. */
static int apply_override(const char *path, const struct csv_row *header,
			  const char *override, struct column_map *map, struct error *err)
{
	char field[64];
	const char *wanted = override_parts(override, field, sizeof field);
	if (!wanted)
		return error_set(err, ERR_INPUT, "--map '%s': expected field=Header", override);
	int f = kind_field_index(map->kind, field);
	if (f < 0)
		return error_set(err, ERR_INPUT, "--map '%s': '%s' is not a field of %s", override,
				 field, map->kind->name);
	int c = column_named(header, wanted);
	if (c < 0)
		return error_set(err, ERR_INPUT, "%s:1: --map '%s': the file has no column '%s'",
				 path, override, wanted);
	if (map->column_of_field[f] >= 0)
		map->field_of_column[map->column_of_field[f]] = -1;
	if (map->field_of_column[c] >= 0)
		map->column_of_field[map->field_of_column[c]] = -1;
	map->column_of_field[f] = c;
	map->field_of_column[c] = f;
	return 0;
}

int column_map_build(const char *path, const struct csv_row *header,
		     const struct kind_def *kind, char *const *overrides, int override_count,
		     struct column_map *map, struct error *err)
{
	memset(map, 0, sizeof *map);
	map->column_count = (int)header->count;
	map->field_of_column = xcalloc(header->count, sizeof(int));
	if (!kind && !(kind = detect_kind(path, header, overrides, override_count,
					  map->field_of_column, err)))
		goto fail;
	map->kind = kind;
	match_columns(kind, header, map->column_of_field, map->field_of_column);
	for (int i = 0; i < override_count; i++)
		if (apply_override(path, header, overrides[i], map, err) < 0)
			goto fail;
	char group[128];
	const char *missing = missing_required(kind, map->column_of_field, group, sizeof group);
	if (missing) {
		struct buf seen = BUF_INIT;
		describe_header(header, &seen);
		int f = kind_field_index(kind, missing);
		error_set(err, ERR_INPUT,
			  "%s:1: missing required column '%s' for %s (the header has: %s)%s%s",
			  path, missing, kind->name, buf_str(&seen),
			  f >= 0 ? "; name it with --map " : "", f >= 0 ? missing : "");
		if (f >= 0) {
			size_t used = strlen(err->msg);
			snprintf(err->msg + used, sizeof err->msg - used, "=Header");
		}
		buf_free(&seen);
		goto fail;
	}
	return 0;
fail:
	column_map_free(map);
	return ERR_INPUT;
}

void column_map_free(struct column_map *map)
{
	free(map->field_of_column);
	map->field_of_column = NULL;
}
