# The packet socket statistics addon (packet_stats.c), built by scripts/setup with the node-gyp
# that comes with npm. Output: build/Release/packet_stats.node, loaded by kernelDrops.ts.
{
  'targets': [
    {
      'target_name': 'packet_stats',
      'sources': ['packet_stats.c'],
      'cflags': ['-Wall', '-Wextra'],
    },
  ],
}
