// Copyright 2026 The mco Authors.
//
// Test module: a well-formed shared object that lacks MCO_MAIN.

extern "C" __attribute__((visibility("default"))) int mco_not_an_entry_point() {
  return 7;
}
