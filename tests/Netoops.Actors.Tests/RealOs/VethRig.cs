using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Netoops.Actors.Tests.RealOs;

/// <summary>
/// A veth pair whose near end stays in the root namespace (where the target, sysfs and the
/// rtnetlink listener live) and whose far end sits in a network namespace of its own, so the
/// target's packets really cross the link. Names and subnet are random so parallel runs don't meet.
/// </summary>
public sealed class VethRig : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private VethRig(string suffix, int subnet)
    {
        Namespace = "netoops-" + suffix;
        Near = "nA" + suffix;
        Far = "nB" + suffix;
        NearIp = IPAddress.Parse($"10.{200 + subnet / 256}.{subnet % 256}.1");
        FarIp = IPAddress.Parse($"10.{200 + subnet / 256}.{subnet % 256}.2");
    }

    public string Namespace { get; }
    public string Near { get; }
    public string Far { get; }
    public IPAddress NearIp { get; }
    public IPAddress FarIp { get; }

    /// <summary>Why this machine cannot host the rig, or null when it can.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (Environment.UserName != "root" && geteuid() != 0) return "creating namespaces and veth pairs needs root";
        if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip")) return "iproute2 (ip) is not installed";
        var probe = "netoops-probe-" + Random.Shared.Next(100000);
        var (ok, error) = Run($"netns add {probe}");
        if (!ok) return "ip netns add failed: " + error;
        Run($"netns del {probe}");
        return null;
    }

    public static VethRig Create()
    {
        var rig = new VethRig(Random.Shared.Next(0x10000, 0xfffff).ToString("x"), Random.Shared.Next(0, 50 * 256));
        rig.Must($"netns add {rig.Namespace}");
        rig.CreateLink();
        return rig;
    }

    /// <summary>(Re)creates the pair, addresses and brings both ends up.</summary>
    public void CreateLink()
    {
        Must($"link add {Near} type veth peer name {Far} netns {Namespace}");
        Must($"addr add {NearIp}/24 dev {Near}");
        Must($"link set {Near} up");
        Must($"-n {Namespace} addr add {FarIp}/24 dev {Far}");
        Must($"-n {Namespace} link set {Far} up");
    }

    public void DeleteLink() => Must($"link del {Near}");

    public void Ip(string arguments) => Must(arguments);

    /// <summary>A UDP socket bound inside the far namespace: made on a thread that entered it with setns().</summary>
    public Socket ListenInNamespace(int port)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var home = File.OpenHandle("/proc/thread-self/ns/net");
                using var ns = File.OpenHandle($"/var/run/netns/{Namespace}");
                if (setns(ns.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                    throw new IOException($"setns failed: {Marshal.GetLastPInvokeErrorMessage()}");
                try
                {
                    socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    socket.Bind(new IPEndPoint(IPAddress.Any, port));
                    socket.ReceiveTimeout = 5000;
                }
                finally
                {
                    setns(home.DangerousGetHandle().ToInt32(), CloneNewNet);
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException("could not listen in the namespace", failure);
    }

    public void Dispose()
    {
        Run($"link del {Near}");
        Run($"netns del {Namespace}");
    }

    private void Must(string arguments)
    {
        var (ok, error) = Run(arguments);
        if (!ok) throw new InvalidOperationException($"ip {arguments}: {error}");
    }

    private static (bool Ok, string Error) Run(string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo("ip", arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var error = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode == 0, error.Trim());
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    [DllImport("libc")]
    private static extern uint geteuid();
}
