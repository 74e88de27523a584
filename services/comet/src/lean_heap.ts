// Imported first by the comet's entry point, before any other module allocates: a comet's memory is
// its idle connections, and V8's optimize-for-size mode (smaller young generation, a heap that
// grows less eagerly and gives pages back sooner) keeps the RSS they cost at about a sixth. Measured
// with bench:fanout at 10,000 idle connections on one comet: RSS gained per connection 24 KB ->
// 2-4 KB; at heavy fan-out about 5% fewer deliveries per comet CPU-second (bench/README.md).
// Set here rather than on the command line so that every way of starting a comet (the image, the
// local cluster, tests) gets it; NODE_OPTIONS refuses this flag.
import v8 from 'node:v8';

v8.setFlagsFromString('--optimize-for-size');
