/* poppler-glib: PDF text and attached files, for the sluice-pdf reader process. */
#include <poppler.h>
