/* shop_main: entry point of bin/shop.cgi, the shopper program. */
#include <stdio.h>

int main(void)
{
	fputs("Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\n"
	      "The shop is not open yet.\n", stdout);
	return 0;
}
