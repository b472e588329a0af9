using System.Net;
using System.Net.NetworkInformation;

namespace Netoops.Actors.Ports;

/// <summary>
/// The operating system side of a netpoll target: find the device and open a datagram channel
/// bound to it (the kernel's netpoll_setup). One real implementation (<c>LinuxNetpoll</c>);
/// tests and the chaos suite swap in doubles that can be slow, fail or throw.
/// </summary>
public interface INetpoll
{
    /// <summary>Runs outside the target actor; the result is piped back to it.</summary>
    Task<SetupResult> SetupAsync(SetupRequest request, CancellationToken cancel);
}

/// <param name="DevName">Interface name, or a MAC in aa:bb:cc:dd:ee:ff form.</param>
/// <param name="LocalIp">Null: take the device's first address of the remote's family.</param>
public sealed record SetupRequest(
    string Target,
    string DevName,
    IPAddress? LocalIp,
    int LocalPort,
    IPAddress RemoteIp,
    int RemotePort,
    TimeSpan CarrierTimeout);

/// <summary>The device a target is bound to, as setup found it.</summary>
public sealed record NetDevice(int Index, string Name, PhysicalAddress Mac);

public abstract record SetupResult;

/// <param name="CarrierUp">False when setup gave up waiting for carrier after the timeout and went on anyway.</param>
public sealed record SetupSucceeded(IDatagramChannel Channel, NetDevice Device, IPAddress LocalIp, bool CarrierUp) : SetupResult;

/// <param name="Busy">True for the kernel's EBUSY refusals (the device is a bond slave).</param>
public sealed record SetupFailed(string Error, bool Busy = false) : SetupResult;
