/* product_groups: the book's products' group names sorted, deduplicated and numbered. */
#include "model/product_groups.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void product_groups_from_book(const struct order_book *book, struct product_groups *pg)
{
	size_t n = book->product_count;
	memset(pg, 0, sizeof *pg);
	pg->n_products = n;
	/* the names are the book's until the distinct ones are copied */
	const char **names = xmalloc((n ? n : 1) * sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = order_book_product_group(book, i);
	const char **sorted = xmalloc((n ? n : 1) * sizeof *sorted);
	memcpy(sorted, names, n * sizeof *names);
	qsort(sorted, n, sizeof *sorted, compare_strings);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (!kept || strcmp(sorted[kept - 1], sorted[i]) != 0)
			sorted[kept++] = sorted[i];
	pg->n_groups = kept;
	pg->groups = xmalloc((kept ? kept : 1) * sizeof *pg->groups);
	for (size_t g = 0; g < kept; g++)
		pg->groups[g] = xstrdup(sorted[g]);
	pg->group_of = xmalloc((n ? n : 1) * sizeof *pg->group_of);
	for (size_t i = 0; i < n; i++) {
		const char **found = bsearch(&names[i], sorted, kept, sizeof *sorted,
					     compare_strings);
		pg->group_of[i] = (size_t)(found - sorted);
	}
	free(sorted);
	free(names);
}

void product_groups_free(struct product_groups *pg)
{
	for (size_t i = 0; i < pg->n_groups; i++)
		free(pg->groups[i]);
	free(pg->group_of);
	free(pg->groups);
	memset(pg, 0, sizeof *pg);
}
