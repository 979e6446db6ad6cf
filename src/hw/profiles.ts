/*
 * profiles.ts - the machines mmbox can boot, as data (QEMU's -M).
 *
 * A profile says what the hardware is (CPU, where RAM sits, firmware holes)
 * and what the kernel built for it is (MAX_ORDER, pageblock order, the size of
 * struct page, the image sections, the zones the architecture defines). Boot
 * code in kernel/init/ turns a profile plus -m/--smp/--append into memblock
 * regions, zones and a boot log; nothing here is computed at run time.
 *
 *   vexpress-a9  ARM Cortex-A9, RAM at 0x60000000, Debian armmp 6.1 kernel:
 *                lowmem (<= 768 MiB) is ZONE_DMA, ZONE_NORMAL empty, the rest
 *                ZONE_HIGHMEM; 12 orders, order-11 pageblocks, 16 MiB CMA.
 *   pc           x86_64 i440FX: e820 map with the BIOS hole, ZONE_DMA < 16 MiB,
 *                ZONE_DMA32 < 4 GiB, ZONE_NORMAL above; 11 orders, order-9
 *                pageblocks; deferred struct page init.
 *   virt         arm64 QEMU virt, RAM at 0x40000000: ZONE_DMA < 4 GiB,
 *                ZONE_NORMAL above; 11 orders, order-9 pageblocks.
 */

export type MachineName = "vexpress-a9" | "pc" | "virt";
export const MACHINE_NAMES: readonly MachineName[] = ["vexpress-a9", "pc", "virt"];

/** Zones an architecture configures, in Linux's enum order. */
export type ZoneName = "DMA" | "DMA32" | "Normal" | "HighMem" | "Movable" | "Device";

/** One piece of the kernel image, in KiB, as mem_init_print_info reports it. */
export interface ImageLayout {
  textKB: number; // _stext.._etext
  rodataKB: number; // __start_rodata..__end_rodata
  rwdataKB: number; // _sdata.._edata
  initKB: number; // __init_begin..__init_end (freed after boot)
  bssKB: number; // __bss_start..__bss_stop
  /** KiB memblock reserves for the image (KERNEL_START.._end, with alignment padding). */
  reservedKB: number;
  /** Physical offset of _text from the start of RAM (when not randomized). */
  textOffset: number;
  /** Offset of KERNEL_START (where the memblock reservation begins) from _text. */
  reserveSkip: number;
  /** x86 KASLR: the image lands at a seed-chosen 2 MiB-aligned address. */
  kaslr: boolean;
  /** Parts of the image freed late in boot besides .init: [boot log message, KiB]. */
  freedLater: readonly [string, number][];
}

/** CONFIG_* options that change what the memory subsystem shows. */
export interface KernelConfig {
  HIGHMEM: boolean;
  CMA: boolean;
  TRANSPARENT_HUGEPAGE: boolean; // also raises min_free_kbytes (set_recommended_min_free_kbytes)
  HUGETLB_PAGE: boolean;
  MEMORY_FAILURE: boolean; // meminfo HardwareCorrupted
  NUMA: boolean; // numa_* counters, /sys/devices/system/node
  DEFERRED_STRUCT_PAGE_INIT: boolean;
  DIRECT_MAP: boolean; // x86 DirectMap4k/2M lines
  MEM_SOFT_DIRTY: boolean; // VM_SOFTDIRTY ("sd" in smaps VmFlags): x86 only
}

export interface MachineProfile {
  name: MachineName;
  description: string;
  arch: "arm" | "x86_64" | "arm64";
  utsMachine: string; // uname -m
  release: string; // uname -r
  version: string; // uname -v
  compiler: string; // the "(gcc ...)" part of /proc/version
  console: string; // console device name
  defaultMemory: number; // bytes
  maxMemory: number; // bytes, largest -m accepted
  defaultSmp: number;
  maxSmp: number;
  /** Virtio disks the board takes: vexpress-a9 has 4 virtio-mmio transports, virt 32, the pc's PCI bus slots 4..31. */
  maxDisks: number;
  ramBase: number; // physical address of the first RAM byte
  /** Bytes at the start of RAM the firmware keeps (x86: the real-mode area). */
  lowReserved: number;
  /** Physical RAM holes below 4 GiB, as [start, end) byte ranges. */
  holes: readonly [number, number][];
  /** Where RAM above the 32-bit PCI hole continues (x86: 4 GiB). */
  highRamStart: number;
  /** Size of RAM that can stay below the PCI hole (QEMU: 3 GiB on pc when RAM >= 3.5 GiB). */
  lowRamLimit: number;
  zones: readonly ZoneName[];
  /** Exclusive upper physical bound of ZONE_DMA, ZONE_DMA32 (0 when absent). */
  dmaLimit: number;
  dma32Limit: number;
  /** ARM32 only: the end of lowmem (everything above is HighMem). */
  lowmemLimit: number;
  maxOrder: number; // number of buddy orders (Linux 6.1 MAX_ORDER)
  pageblockOrder: number;
  structPageSize: number; // sizeof(struct page)
  pgtableLevels: number;
  hz: number;
  pointerBits: 32 | 64;
  image: ImageLayout;
  /** Bytes of per-CPU area each CPU embeds ("percpu: Embedded N pages/cpu"). */
  percpuPages: number;
  percpuStatic: number; // s
  percpuReserved: number; // r
  percpuDynamic: number; // d
  percpuUnit: number; // u
  /** Default CMA size in bytes (CONFIG_CMA_SIZE_MBYTES), 0 for none. */
  cmaDefault: number;
  /** The memory options the profile's kernel was built with (they decide which lines /proc shows). */
  config: KernelConfig;
  /** Kernel virtual layout (ARM32 only), printed by /sys/kernel/debug/kernel_layout. */
  vmsplit?: { pageOffset: number; vmallocSize: number; vmallocOffset: number };
  /** Size of the vmalloc window in KiB (meminfo VmallocTotal). */
  vmallocTotalKB: number;
  /** Extra memblock reservations the firmware/arch code makes, [name, bytes]. */
  archReserved: readonly [string, number][];
  /** Bytes of the device tree blob (0 on x86). */
  dtbSize: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const PROFILES: Record<MachineName, MachineProfile> = {
  "vexpress-a9": {
    name: "vexpress-a9",
    description: "ARM Versatile Express for Cortex-A9 (ARMv7, 32-bit, highmem)",
    arch: "arm",
    utsMachine: "armv7l",
    release: "6.1.0-50-armmp",
    version: "#1 SMP Debian 6.1.176-1 (2026-07-02)",
    compiler: "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40",
    console: "ttyAMA0",
    defaultMemory: 1 * GiB,
    maxMemory: 2 * GiB, // -M vexpress-a9 maps at most 2 GiB of RAM (0x60000000..0xdfffffff)
    defaultSmp: 4,
    maxSmp: 4,
    maxDisks: 4,
    ramBase: 0x60000000,
    lowReserved: 0,
    holes: [],
    highRamStart: 0,
    lowRamLimit: 2 * GiB,
    zones: ["DMA", "Normal", "HighMem", "Movable"],
    dmaLimit: 0, // armmp: ZONE_DMA covers all of lowmem (arm_dma_limit)
    dma32Limit: 0,
    lowmemLimit: 768 * MiB, // VMSPLIT_3G with a 240 MiB vmalloc area
    maxOrder: 12,
    pageblockOrder: 11,
    structPageSize: 36, // 32-bit struct page plus memcg_data
    pgtableLevels: 2,
    hz: 250,
    pointerBits: 32,
    image: {
      textKB: 11264,
      rodataKB: 3732,
      rwdataKB: 1700,
      initKB: 2048,
      bssKB: 377,
      reservedKB: 19488, // _stext (0x60300000) .. _end (0x61607588)
      textOffset: 0x208000,
      reserveSkip: 0xf8000, // head.S text before _stext is not reserved
      kaslr: false,
      freedLater: [],
    },
    percpuPages: 18,
    percpuStatic: 45012,
    percpuReserved: 8192,
    percpuDynamic: 20524,
    percpuUnit: 73728,
    cmaDefault: 16 * MiB,
    config: {
      HIGHMEM: true,
      CMA: true,
      TRANSPARENT_HUGEPAGE: false,
      HUGETLB_PAGE: false,
      MEMORY_FAILURE: false,
      NUMA: false,
      DEFERRED_STRUCT_PAGE_INIT: false,
      DIRECT_MAP: false,
      MEM_SOFT_DIRTY: false,
    },
    vmsplit: { pageOffset: 0xc0000000, vmallocSize: 240 * MiB, vmallocOffset: 8 * MiB },
    vmallocTotalKB: 240 * 1024,
    archReserved: [
      ["swapper_pg_dir", 16 * KiB],
      ["early page tables", 40 * KiB],
      ["unflattened device tree", 40 * KiB],
      ["pcpu chunk maps", 8 * KiB],
      ["setup_arch", 12 * KiB],
    ],
    dtbSize: 16 * KiB,
  },
  pc: {
    name: "pc",
    description: "Standard PC (i440FX + PIIX, 1996), x86_64",
    arch: "x86_64",
    utsMachine: "x86_64",
    release: "6.1.0-56-amd64",
    version: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)",
    compiler: "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40",
    console: "ttyS0",
    defaultMemory: 1 * GiB,
    maxMemory: 1024 * GiB,
    defaultSmp: 2,
    maxSmp: 64,
    maxDisks: 28,
    ramBase: 0,
    lowReserved: 1 * MiB, // x86 reserves the first megabyte
    holes: [
      [0x0, 0x1000], // page 0: BIOS data area
      [0x9f000, 0x100000], // EBDA, VGA, option ROMs, BIOS
    ],
    highRamStart: 4 * GiB,
    lowRamLimit: 3 * GiB,
    zones: ["DMA", "DMA32", "Normal", "Movable", "Device"],
    dmaLimit: 16 * MiB,
    dma32Limit: 4 * GiB,
    lowmemLimit: 0,
    maxOrder: 11,
    pageblockOrder: 9,
    structPageSize: 64,
    pgtableLevels: 4,
    hz: 250,
    pointerBits: 64,
    image: {
      textKB: 14343,
      rodataKB: 9132,
      rwdataKB: 2338,
      initKB: 2824,
      bssKB: 17344,
      reservedKB: 53248, // _text .. __end_of_kernel_reserve, 2 MiB aligned
      textOffset: 0x1000000,
      reserveSkip: 0,
      kaslr: true,
      freedLater: [
        ["Freeing SMP alternatives memory: %dK", 36],
        ["Freeing unused decrypted memory: %dK", 2036],
        ["", 0], // marks where .init is freed
        ["Freeing unused kernel image (text/rodata gap) memory: %dK", 2040],
        ["Freeing unused kernel image (rodata/data gap) memory: %dK", 1108],
      ],
    },
    percpuPages: 62,
    percpuStatic: 217088,
    percpuReserved: 8192,
    percpuDynamic: 28672,
    percpuUnit: 1048576,
    cmaDefault: 0,
    config: {
      HIGHMEM: false,
      CMA: false,
      TRANSPARENT_HUGEPAGE: true,
      HUGETLB_PAGE: true,
      MEMORY_FAILURE: true,
      NUMA: true,
      DEFERRED_STRUCT_PAGE_INIT: true,
      DIRECT_MAP: true,
      MEM_SOFT_DIRTY: true,
    },
    vmallocTotalKB: 34359738367, // VMALLOC_SIZE_TB 32 with 4-level paging
    archReserved: [
      ["NODE_DATA", 172 * KiB],
      ["early page tables", 48 * KiB],
      ["memblock arrays", 16 * KiB],
      ["setup_arch", 72 * KiB],
    ],
    dtbSize: 0,
  },
  virt: {
    name: "virt",
    description: "QEMU virt machine, arm64 (Cortex-A57)",
    arch: "arm64",
    utsMachine: "aarch64",
    release: "6.1.0-56-arm64",
    version: "#1 SMP Debian 6.1.192-2 (2026-11-16)",
    compiler: "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40",
    console: "ttyAMA0",
    defaultMemory: 1 * GiB,
    maxMemory: 255 * GiB,
    defaultSmp: 4,
    maxSmp: 64,
    maxDisks: 32,
    ramBase: 0x40000000,
    lowReserved: 0,
    holes: [],
    highRamStart: 0,
    lowRamLimit: 1024 * GiB,
    zones: ["DMA", "DMA32", "Normal", "Movable"],
    dmaLimit: 4 * GiB, // zone_dma_bits = 32 on QEMU virt
    dma32Limit: 4 * GiB,
    lowmemLimit: 0,
    maxOrder: 11,
    pageblockOrder: 9,
    structPageSize: 64,
    pgtableLevels: 4,
    hz: 250,
    pointerBits: 64,
    image: {
      textKB: 12288,
      rodataKB: 8164,
      rwdataKB: 2606,
      initKB: 6784,
      bssKB: 601,
      reservedKB: 31880, // _stext .. _end (0x42121c00), page-aligned: arm64_memblock_init
      textOffset: 0x200000,
      reserveSkip: 0,
      kaslr: false,
      freedLater: [],
    },
    percpuPages: 34,
    percpuStatic: 98760,
    percpuReserved: 8192,
    percpuDynamic: 32312,
    percpuUnit: 139264,
    cmaDefault: 32 * MiB,
    config: {
      HIGHMEM: false,
      CMA: true,
      TRANSPARENT_HUGEPAGE: true,
      HUGETLB_PAGE: true,
      MEMORY_FAILURE: true,
      NUMA: true,
      DEFERRED_STRUCT_PAGE_INIT: false,
      DIRECT_MAP: false,
      MEM_SOFT_DIRTY: false,
    },
    vmallocTotalKB: 133141626880, // 48-bit VA: 0xffff800008000000..0xfffffbfff0000000
    archReserved: [
      ["swapper_pg_dir", 4 * KiB],
      ["early page tables", 40 * KiB],
      ["unflattened device tree", 64 * KiB],
      ["memblock arrays", 16 * KiB],
      ["setup_arch", 24 * KiB],
    ],
    dtbSize: 8 * KiB,
  },
};

export const SIZE = { KiB, MiB, GiB };
