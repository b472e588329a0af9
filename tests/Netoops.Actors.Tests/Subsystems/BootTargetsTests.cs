using System.Net;
using Netoops.Actors.Subsystems;
using Netoops.Protocol.Targets;

namespace Netoops.Actors.Tests.Subsystems;

public class BootTargetsTests
{
    [Fact]
    public void A_parameter_list_becomes_one_attribute_set_per_target()
    {
        Assert.True(BootTargets.TryParse("+6665@10.0.2.15/eth0,6667@10.0.2.2/;@/eth1,@10.0.0.9/", TargetDefaults.Netconsole, out var targets, out _));
        Assert.Equal(2, targets.Count);
        Assert.Equal(("eth0", 6665, 6667, true), (targets[0].DevName, targets[0].LocalPort, targets[0].RemotePort, targets[0].Extended));
        Assert.Equal(IPAddress.Parse("10.0.2.15"), targets[0].LocalIp);
        Assert.Equal(("eth1", 6665, 6666), (targets[1].DevName, targets[1].LocalPort, targets[1].RemotePort));
        Assert.Null(targets[1].LocalIp);
    }

    [Fact]
    public void A_bad_parameter_is_refused_with_the_kernel_message()
    {
        Assert.False(BootTargets.TryParse("r@/eth0,@10.0.0.1/", TargetDefaults.Netconsole, out _, out var error));
        Assert.Contains("Release feature requires extended", error);
    }

    [Fact]
    public void An_empty_parameter_means_no_boot_targets()
    {
        Assert.True(BootTargets.TryParse("", TargetDefaults.Netoops, out var targets, out _));
        Assert.Empty(targets);
    }
}
