// Copyright 2026 The mco Authors.

#include "mco/sync/wait_list.h"

#include "stdlib/sync/wait_list_impl.h"

namespace mco::sync::internal {

WaitList::WaitList() { WaitListAccess::construct(*this); }

}  // namespace mco::sync::internal
