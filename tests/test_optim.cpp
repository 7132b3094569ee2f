// placeholder
#include "optim.h"
