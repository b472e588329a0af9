namespace Netoops.Protocol.Packets;

/// <summary>The packet's <c>type</c> field.</summary>
public enum DumpType : ushort
{
    /// <summary>NETOOPS_TYPE_PRINTK_BUFFER: the log at an oops or panic (vendor kernels also use it for OOM).</summary>
    Oops = 1,

    /// <summary>NETOOPS_TYPE_PRINTK_BUFFER_SOFT: the log sent on request (sysrq <c>y</c>) without a crash.</summary>
    Soft = 3,
}
