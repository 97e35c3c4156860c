/* content_fallback: TF-IDF over product-name words within a sub-category, and the
 * group's best sellers, for products with few baskets (see content_fallback.h). */
#include "model/content_fallback.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/text_tokens.h"
#include "model/top_k.h"
#include "util/xalloc.h"

/* One weighed word of a product's name. */
struct name_term {
	uint64_t hash;  /* the word's hash; replaced by the term's number once known */
	double weight;  /* TF-IDF, the product's vector normalised to length 1 */
};

/* Every product's name vector, and the products holding each term. */
struct name_index {
	uint32_t *first;          /* product p's terms: terms[first[p] .. first[p + 1]) */
	struct name_term *terms;  /* by product, then term number */
	size_t term_count;        /* distinct words in the catalogue */
	uint32_t *posting_first;  /* term t's products: postings[posting_first[t] ..] */
	int32_t *postings;        /* product numbers */
	double *posting_weight;   /* the term's weight in that product */
};

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int compare_term(const void *a, const void *b)
{
	return compare_u64(&((const struct name_term *)a)->hash,
			   &((const struct name_term *)b)->hash);
}

/* Splits every name into hashed words, counted once per name (names are short). */
static void collect_terms(const struct purchase_history *h, struct name_index *ix)
{
	struct text_tokens tokens = TEXT_TOKENS_INIT;
	size_t cap = 1024, used = 0;
	ix->first = xcalloc(h->product_count + 1, sizeof *ix->first);
	ix->terms = xmalloc(cap * sizeof *ix->terms);
	for (size_t p = 0; p < h->product_count; p++) {
		const char *name = h->product_names[p] ? h->product_names[p] : "";
		text_tokens_split(&tokens, name, strlen(name));
		size_t begin = used;
		for (size_t i = 0; i < tokens.count; i++) {
			if (used == cap) {
				cap *= 2;
				ix->terms = xreallocarray(ix->terms, cap, sizeof *ix->terms);
			}
			const char *word = text_token_text(&tokens, i);
			uint64_t hash = text_hash_finish(
				text_hash_update(TEXT_HASH_START, word, tokens.items[i].len));
			ix->terms[used++] = (struct name_term){hash, 1.0};
		}
		qsort(ix->terms + begin, used - begin, sizeof *ix->terms, compare_term);
		size_t write = begin;
		for (size_t i = begin; i < used; i++)
			if (write == begin || ix->terms[write - 1].hash != ix->terms[i].hash)
				ix->terms[write++] = ix->terms[i];
		used = write;
		ix->first[p + 1] = (uint32_t)used;
	}
	text_tokens_free(&tokens);
}

/* Numbers the distinct words, weighs them by inverse document frequency, normalises
 * each name's vector and builds the postings. */
static void weigh_terms(const struct purchase_history *h, struct name_index *ix)
{
	size_t entries = ix->first[h->product_count];
	uint64_t *distinct = xmalloc((entries + 1) * sizeof *distinct);
	for (size_t i = 0; i < entries; i++)
		distinct[i] = ix->terms[i].hash;
	qsort(distinct, entries, sizeof *distinct, compare_u64);
	size_t terms = 0;
	for (size_t i = 0; i < entries; i++)
		if (terms == 0 || distinct[terms - 1] != distinct[i])
			distinct[terms++] = distinct[i];
	ix->term_count = terms;
	ix->posting_first = xcalloc(terms + 2, sizeof *ix->posting_first);
	for (size_t i = 0; i < entries; i++) {
		uint64_t *at = bsearch(&ix->terms[i].hash, distinct, terms, sizeof *distinct,
				       compare_u64);
		assert(at);
		ix->terms[i].hash = (uint64_t)(at - distinct);
		ix->posting_first[ix->terms[i].hash + 2]++;
	}
	free(distinct);
	double n = (double)h->product_count;
	for (size_t p = 0; p < h->product_count; p++) {
		double length = 0;
		for (uint32_t i = ix->first[p]; i < ix->first[p + 1]; i++) {
			double df = ix->posting_first[ix->terms[i].hash + 2];
			ix->terms[i].weight = log((1 + n) / (1 + df)) + 1;
			length += ix->terms[i].weight * ix->terms[i].weight;
		}
		for (uint32_t i = ix->first[p]; i < ix->first[p + 1]; i++)
			ix->terms[i].weight /= sqrt(length);
	}
	for (size_t t = 0; t < terms; t++)
		ix->posting_first[t + 2] += ix->posting_first[t + 1];
	ix->postings = xmalloc((entries + 1) * sizeof *ix->postings);
	ix->posting_weight = xmalloc((entries + 1) * sizeof *ix->posting_weight);
	for (size_t p = 0; p < h->product_count; p++)
		for (uint32_t i = ix->first[p]; i < ix->first[p + 1]; i++) {
			uint32_t at = ix->posting_first[ix->terms[i].hash + 1]++;
			ix->postings[at] = (int32_t)p;
			ix->posting_weight[at] = ix->terms[i].weight;
		}
}

static void name_index_free(struct name_index *ix)
{
	free(ix->first);
	free(ix->terms);
	free(ix->posting_first);
	free(ix->postings);
	free(ix->posting_weight);
}

/* The group a product is compared within: its sub-category, else its category. */
static const char *group_key(const struct purchase_history *h, size_t p, int *level)
{
	*level = h->product_subcategories[p] ? 2 : h->product_categories[p] ? 1 : 0;
	return *level == 2 ? h->product_subcategories[p]
			   : *level == 1 ? h->product_categories[p] : "";
}

static const struct purchase_history *grouping;

static int compare_by_group(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	int lx, ly;
	const char *kx = group_key(grouping, (size_t)x, &lx);
	const char *ky = group_key(grouping, (size_t)y, &ly);
	if (lx != ly)
		return lx - ly;
	int c = strcmp(kx, ky);
	return c ? c : (x > y) - (x < y);
}

/* Numbers the groups: group[p] for every product; returns how many. */
static size_t number_groups(const struct purchase_history *h, int32_t *group)
{
	size_t n = h->product_count, groups = 0;
	int32_t *order = xmalloc((n + 1) * sizeof *order);
	for (size_t p = 0; p < n; p++)
		order[p] = (int32_t)p;
	grouping = h;
	qsort(order, n, sizeof *order, compare_by_group);
	for (size_t i = 0; i < n; i++) {
		int la, lb;
		if (i > 0 && strcmp(group_key(h, (size_t)order[i - 1], &la),
				    group_key(h, (size_t)order[i], &lb)) == 0 &&
		    la == lb)
			group[order[i]] = group[order[i - 1]];
		else
			group[order[i]] = (int32_t)groups++;
	}
	grouping = NULL;
	free(order);
	return groups;
}

/* Keeps only basket neighbours seen at least twice; returns how many are left. */
static uint32_t keep_repeated_neighbors(struct item_neighbors *n, size_t p)
{
	uint32_t kept = 0;
	for (uint32_t r = 0; r < n->count[p]; r++) {
		size_t from = NEIGHBOR_AT(n, p, r), to = NEIGHBOR_AT(n, p, kept);
		if (n->support[from] < 2)
			continue;
		n->neighbor[to] = n->neighbor[from];
		n->score[to] = n->score[from];
		n->support[to] = n->support[from];
		n->source[to] = n->source[from];
		kept++;
	}
	return n->count[p] = kept;
}

static int already_listed(const struct item_neighbors *n, size_t p, int32_t q)
{
	for (uint32_t r = 0; r < n->count[p]; r++)
		if (n->neighbor[NEIGHBOR_AT(n, p, r)] == q)
			return 1;
	return (size_t)q == p;
}

static void append_neighbor(struct item_neighbors *n, size_t p, int32_t q, double score,
			    enum neighbor_source source)
{
	assert(n->count[p] < n->k);
	size_t at = NEIGHBOR_AT(n, p, n->count[p]++);
	n->neighbor[at] = q;
	n->score[at] = score;
	n->support[at] = 0;
	n->source[at] = (unsigned char)source;
}

/* Work space for one product after another. */
struct fallback_scratch {
	double *similarity; /* per product: dot product with the current one */
	int32_t *touched;   /* products with a similarity */
	struct top_k best;  /* the most alike names */
	struct scored_item *taken;
};

static size_t fill_by_name(const struct name_index *ix, const int32_t *group, size_t p,
			   struct item_neighbors *n, struct fallback_scratch *s)
{
	size_t touched = 0, added = 0;
	for (uint32_t i = ix->first[p]; i < ix->first[p + 1]; i++) {
		uint64_t t = ix->terms[i].hash;
		for (uint32_t x = ix->posting_first[t]; x < ix->posting_first[t + 1]; x++) {
			int32_t q = ix->postings[x];
			if (group[q] != group[p] || (size_t)q == p)
				continue;
			if (s->similarity[q] == 0)
				s->touched[touched++] = q;
			s->similarity[q] += ix->terms[i].weight * ix->posting_weight[x];
		}
	}
	top_k_clear(&s->best);
	for (size_t x = 0; x < touched; x++) {
		int32_t q = s->touched[x];
		if (!already_listed(n, p, q))
			top_k_offer(&s->best, s->similarity[q], q, 0);
		s->similarity[q] = 0;
	}
	size_t got = top_k_take(&s->best, s->taken);
	for (size_t r = 0; r < got && n->count[p] < n->k; r++, added++)
		append_neighbor(n, p, s->taken[r].item, s->taken[r].score, NEIGHBOR_FROM_CONTENT);
	return added;
}

void content_fallback_fill(const struct purchase_history *h, const struct popularity *popular,
			   uint32_t min_baskets, struct item_neighbors *n,
			   struct content_fallback_counts *counts)
{
	assert(n->product_count == h->product_count);
	memset(counts, 0, sizeof *counts);
	size_t products = h->product_count, k = n->k;
	int32_t *group = xmalloc((products + 1) * sizeof *group);
	size_t groups = number_groups(h, group);
	/* each group's best sellers, k + 1 of them (one may be the product itself) */
	size_t per_group = k + 1;
	uint32_t *best_count = xcalloc(groups + 1, sizeof *best_count);
	int32_t *best = xmalloc((groups + 1) * per_group * sizeof *best);
	for (size_t r = 0; r < popular->ranked_count; r++) {
		int32_t q = popular->ranked[r], g = group[q];
		if (best_count[g] < per_group)
			best[(size_t)g * per_group + best_count[g]++] = q;
	}
	struct name_index ix;
	memset(&ix, 0, sizeof ix);
	collect_terms(h, &ix);
	weigh_terms(h, &ix);
	struct fallback_scratch s;
	s.similarity = xcalloc(products + 1, sizeof *s.similarity);
	s.touched = xmalloc((products + 1) * sizeof *s.touched);
	top_k_init(&s.best, k);
	s.taken = xmalloc(k * sizeof *s.taken);
	for (size_t p = 0; p < products; p++) {
		if (n->transactions[p] >= min_baskets)
			continue;
		counts->products++;
		keep_repeated_neighbors(n, p);
		if (n->count[p] < k && fill_by_name(&ix, group, p, n, &s) > 0)
			counts->by_name++;
		int from_popular = 0;
		int32_t g = group[p];
		for (uint32_t i = 0; i < best_count[g] && n->count[p] < k; i++) {
			int32_t q = best[(size_t)g * per_group + i];
			if (already_listed(n, p, q))
				continue;
			append_neighbor(n, p, q, 0, NEIGHBOR_FROM_POPULAR);
			from_popular = 1;
		}
		counts->by_popular += (size_t)from_popular;
	}
	name_index_free(&ix);
	free(s.similarity);
	free(s.touched);
	top_k_free(&s.best);
	free(s.taken);
	free(best_count);
	free(best);
	free(group);
}
