using System.Net;
using Netoops.Protocol.Targets;

namespace Netoops.Protocol.Tests.Targets;

public class TargetParametersTests
{
    private static TargetParameter Parse(string text, TargetDefaults? defaults = null)
    {
        Assert.True(TargetParameters.TryParse(text, defaults ?? TargetDefaults.Netconsole, "cmdline0", out var target, out var error), error);
        return target;
    }

    private static string Refusal(string text)
    {
        Assert.False(TargetParameters.TryParse(text, TargetDefaults.Netconsole, "cmdline0", out _, out var error));
        return error;
    }

    [Fact]
    public void A_full_parameter_sets_every_field()
    {
        var target = Parse("+r6665@10.0.2.15/eth1,6667@10.0.2.2/12:34:56:78:9a:bc");

        Assert.True(target.Extended);
        Assert.True(target.Release);
        Assert.Equal(6665, target.LocalPort);
        Assert.Equal(IPAddress.Parse("10.0.2.15"), target.LocalIp);
        Assert.Equal("eth1", target.DevName);
        Assert.Null(target.DevMac);
        Assert.Equal(6667, target.RemotePort);
        Assert.Equal(IPAddress.Parse("10.0.2.2"), target.RemoteIp);
        Assert.Equal("12:34:56:78:9a:bc", target.RemoteMac.ToString());
    }

    [Fact]
    public void Left_out_parts_take_the_netconsole_defaults()
    {
        var target = Parse("@/,@192.168.0.1/");

        Assert.False(target.Extended);
        Assert.Equal(6665, target.LocalPort);
        Assert.Null(target.LocalIp);
        Assert.Equal("eth0", target.DevName);
        Assert.Equal(6666, target.RemotePort);
        Assert.True(target.RemoteMac.IsBroadcast);
    }

    [Fact]
    public void Left_out_ports_take_the_netoops_defaults() =>
        Assert.Equal((2004, 2004), (Parse("@/,@10.1.1.1/", TargetDefaults.Netoops).LocalPort, Parse("@/,@10.1.1.1/", TargetDefaults.Netoops).RemotePort));

    [Fact]
    public void A_device_given_as_a_mac_address_is_taken_as_the_mac() =>
        Assert.Equal(("", "52:54:00:12:34:56"), (Parse("@/52:54:00:12:34:56,@10.0.0.1/").DevName, Parse("@/52:54:00:12:34:56,@10.0.0.1/").DevMac.ToString()));

    [Fact]
    public void IPv6_addresses_are_accepted_on_both_ends()
    {
        var target = Parse("6665@fd00::2/eth0,6666@fd00::1/");

        Assert.True(target.IsIPv6);
        Assert.Equal(IPAddress.Parse("fd00::2"), target.LocalIp);
    }

    [Fact]
    public void A_list_names_its_targets_cmdline0_cmdline1_in_order()
    {
        Assert.True(TargetParameters.TryParseList("@/,@10.0.0.1/;+@/,7000@10.0.0.2/", TargetDefaults.Netconsole, out var targets, out var error), error);

        Assert.Equal(["cmdline0", "cmdline1"], targets.Select(t => t.Name));
        Assert.Equal(7000, targets[1].RemotePort);
        Assert.True(targets[1].Extended);
    }

    [Fact]
    public void The_canonical_string_parses_back_to_the_same_target()
    {
        foreach (var text in new[] { "+r1@1.2.3.4/eth9,2@5.6.7.8/aa:bb:cc:dd:ee:ff", "@/,@fd00::1/", "@/52:54:00:12:34:56,9@10.0.0.1/" })
        {
            var target = Parse(text);
            Assert.Equal(target, Parse(target.ToString()));
        }
    }

    [Theory]
    [InlineData("r@/,@10.0.0.1/", TargetParameters.ReleaseNeedsExtended)]
    [InlineData("6665", "couldn't parse config at '6665'!")]
    [InlineData("66x5@/,@10.0.0.1/", "couldn't parse config at '66x5'!")]
    [InlineData("70000@/,@10.0.0.1/", "couldn't parse config at '70000'!")]
    [InlineData("@10.0.0.300/,@10.0.0.1/", "couldn't parse config at '10.0.0.300'!")]
    [InlineData("@10.0.0/,@10.0.0.1/", "couldn't parse config at '10.0.0'!")]
    [InlineData("@10.0.0.1", "couldn't parse config at '10.0.0.1'!")]
    [InlineData("@/eth0", "couldn't parse config at 'eth0'!")]
    [InlineData("@/52:54:00:12:34,@10.0.0.1/", "couldn't parse config at '52:54:00:12:34'!")]
    [InlineData("@/averyveryverylongname,@10.0.0.1/", "couldn't parse config at 'averyveryverylongname'!")]
    [InlineData("@/, 6666@10.0.0.1/", "couldn't parse config at ' 6666'!")]
    [InlineData("@/,6666", "couldn't parse config at '6666'!")]
    [InlineData("@/,@10.0.0.1", "couldn't parse config at '10.0.0.1'!")]
    [InlineData("@/,@/", "couldn't parse config at ''!")]
    [InlineData("@/,@host.example/", "couldn't parse config at 'host.example'!")]
    [InlineData("@10.0.0.2/,@fd00::1/", "couldn't parse config at 'fd00::1'!")]
    [InlineData("@/,@fe80::1%eth0/", "couldn't parse config at 'fe80::1%eth0'!")]
    [InlineData("@/,@10.0.0.1/ff:ff:ff:ff:ff", "couldn't parse config at 'ff:ff:ff:ff:ff'!")]
    [InlineData("@/,@10.0.0.1/ff-ff-ff-ff-ff-ff", "couldn't parse config at 'ff-ff-ff-ff-ff-ff'!")]
    [InlineData("", "couldn't parse config at ''!")]
    public void A_bad_parameter_is_refused_with_the_kernels_message(string text, string message) =>
        Assert.Equal(message, Refusal(text));

    [Fact]
    public void A_netoops_parameter_has_no_extended_prefix()
    {
        Assert.False(TargetParameters.TryParse("+6665@/,@10.0.0.1/", TargetDefaults.Netoops, "cmdline0", out _, out var error));
        Assert.Equal("couldn't parse config at '+6665'!", error);
    }

    [Fact]
    public void An_empty_parameter_configures_no_target()
    {
        Assert.True(TargetParameters.TryParseList("", TargetDefaults.Netconsole, out var targets, out var error), error);
        Assert.Empty(targets);
    }

    [Fact]
    public void An_empty_entry_in_a_list_refuses_the_whole_list()
    {
        Assert.False(TargetParameters.TryParseList("@/,@10.0.0.1/;", TargetDefaults.Netconsole, out _, out var error));
        Assert.Equal("couldn't parse config at ''!", error);
    }
}
