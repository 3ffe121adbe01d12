/// Files copied verbatim from /proc on the development machine (a 2-CPU
/// VM, kernel 6.x, one virtio disk `vda`, no swap) on 2026-11-22.
enum ProcFixtures {
    static let stat = #"""
        cpu  2305855 0 273214 2288340 34934 0 15043 61541 0 0
        cpu0 1052906 0 128506 1264251 7387 0 5688 30875 0 0
        cpu1 1252948 0 144708 1024089 27546 0 9355 30665 0 0
        intr 17353287 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 16 0 0 0 0 4974 1102 0 417 1 1871932 0 213 234 0 6631 26914 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        ctxt 28865210
        btime 1795320274
        processes 176891
        procs_running 7
        procs_blocked 0
        softirq 12824519 0 1216599 4 4238724 1871757 0 6 2379706 685551 2432172
        """# + "\n"

    static let meminfo = #"""
        MemTotal:       24684096 kB
        MemFree:        21610476 kB
        MemAvailable:   23682520 kB
        Buffers:           28024 kB
        Cached:          2025504 kB
        SwapCached:            0 kB
        Active:           913548 kB
        Inactive:        1669128 kB
        Active(anon):       2360 kB
        Inactive(anon):   536344 kB
        Active(file):     911188 kB
        Inactive(file):  1132784 kB
        Unevictable:       12940 kB
        Mlocked:           11968 kB
        SwapTotal:             0 kB
        SwapFree:              0 kB
        Zswap:                 0 kB
        Zswapped:              0 kB
        Dirty:             33888 kB
        Writeback:             0 kB
        AnonPages:        542132 kB
        Mapped:           315028 kB
        Shmem:              9556 kB
        KReclaimable:     329652 kB
        Slab:             367064 kB
        SReclaimable:     329652 kB
        SUnreclaim:        37412 kB
        KernelStack:        2312 kB
        PageTables:         8648 kB
        SecPageTables:         0 kB
        NFS_Unstable:          0 kB
        Bounce:                0 kB
        WritebackTmp:          0 kB
        CommitLimit:    12342048 kB
        Committed_AS:    1261320 kB
        VmallocTotal:   34359738367 kB
        VmallocUsed:       15116 kB
        VmallocChunk:          0 kB
        Percpu:              736 kB
        AnonHugePages:         0 kB
        ShmemHugePages:        0 kB
        ShmemPmdMapped:        0 kB
        FileHugePages:     34816 kB
        FilePmdMapped:      6144 kB
        Balloon:               0 kB
        HugePages_Total:       0
        HugePages_Free:        0
        HugePages_Rsvd:        0
        HugePages_Surp:        0
        Hugepagesize:       2048 kB
        Hugetlb:               0 kB
        DirectMap4k:       28672 kB
        DirectMap2M:     2068480 kB
        DirectMap1G:    25165824 kB
        """# + "\n"

    static let loadavg = #"""
        7.06 6.04 3.88 7/144 14749
        """# + "\n"

    static let netDev = #"""
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo: 176258773757 5378626    0    0    0     0          0         0 176258773757 5378626    0    0    0     0       0          0
          ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
          ifb1:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
          eth0: 11461092     412    0    0    0     0          0         0    29192     331    0    0    0     0       0          0
        """# + "\n"

    static let diskstats = #"""
           7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       1 loop1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       2 loop2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       3 loop3 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       4 loop4 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       5 loop5 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       6 loop6 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
           7       7 loop7 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
         254       0 vda 1584673 102538 74336402 6189918 1171037 529720 108369232 641195 0 642128 7090925 387572 3 99913128 227090 274361 32721
         253       0 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        """# + "\n"
}
