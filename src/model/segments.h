/* segments: the `segments` model step. Scores every customer by RFM (rfm.h), names their
 * segment and value tier, clusters them by k-means (clusters.h), and writes
 * customer_rfm, rfm_segments (one row per named segment), rfm_clusters, and the
 * clustering's figures (model segments_kmeans: k, silhouette; silhouette by k as a
 * curve). */
#ifndef CARTOGRAPH_SEGMENTS_H
#define CARTOGRAPH_SEGMENTS_H

#include "model/model_stage.h"

int model_segments(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		   struct error *err);

#endif
