#!/usr/bin/env node
// Committed launcher, so npm can link the bin before dist/ is built (the root "prepare" builds it).
import '../dist/cli/bin.js';
