/* content_type: the Content-Type a file of the site is served with, worked out from
 * its extension (the part after the last dot of its last path segment, any case).
 * Text types carry "; charset=utf-8", since every page and CSV Cartograph writes is
 * UTF-8. An unknown extension is served as application/octet-stream. */
#ifndef CARTOGRAPH_CONTENT_TYPE_H
#define CARTOGRAPH_CONTENT_TYPE_H

/* Returns a static string; path is a site path such as "charts/revenue.1a2b3c4d.png". */
const char *content_type_for_path(const char *path);

#endif
