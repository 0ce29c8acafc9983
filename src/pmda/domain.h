/*
 * The bcc agent's performance metrics domain, as PCP assigned it.
 */
#define BCC 149
