#pragma once
// usable_cores: how many CPUs this process may run on.
//
// The I/O thread count follows it. std::thread::hardware_concurrency()
// counts every CPU of the machine, but a container limited with a cpuset, or
// a server started under `taskset`, may run on fewer; more I/O threads than
// usable CPUs only adds context switches between them. Reads the calling
// thread's affinity mask (sched_getaffinity), falls back to
// hardware_concurrency() when the mask cannot be read; never returns 0.

namespace apiota::http {

unsigned usable_cores();

}  // namespace apiota::http
