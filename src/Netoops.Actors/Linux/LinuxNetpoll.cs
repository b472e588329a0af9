using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Linux;

/// <summary>
/// netpoll_setup in user space: resolve the device by name or MAC, refuse a bond slave, bring the
/// device up if it is down and wait for carrier up to carrier_timeout (then go on anyway, as the
/// kernel does), default the local address to the device's first address of the remote's family,
/// and open a UDP socket bound to the device (SO_BINDTODEVICE) and to local ip:port.
/// </summary>
public sealed class LinuxNetpoll(SysClassNet? devices = null, TimeProvider? clock = null) : INetpoll
{
    private static readonly TimeSpan CarrierPoll = TimeSpan.FromMilliseconds(50);
    private readonly SysClassNet _devices = devices ?? new SysClassNet();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<SetupResult> SetupAsync(SetupRequest request, CancellationToken cancel)
    {
        var device = _devices.Find(request.DevName);
        if (device is null)
            return new SetupFailed($"{request.DevName} doesn't exist, aborting");
        if (device.IsBondSlave)
            return new SetupFailed($"{device.Name} is a slave device, aborting", Busy: true);
        if (request.LocalIp is not null && request.LocalIp.AddressFamily != request.RemoteIp.AddressFamily)
            return new SetupFailed("local_ip and remote_ip must both be IPv4 or both IPv6");

        if (!device.AdminUp && Interfaces.SetUp(device.Name) is { } upError)
            return new SetupFailed($"failed to open {device.Name}: {upError}");
        var carrier = await WaitForCarrier(device.Name, request.CarrierTimeout, cancel).ConfigureAwait(false);

        var local = request.LocalIp ?? FirstAddress(device.Name, request.RemoteIp.AddressFamily);
        if (local is null)
            return new SetupFailed($"no IP address for {device.Name}, aborting");

        try
        {
            var channel = BoundUdpChannel.Open(device.Name, new IPEndPoint(local, request.LocalPort),
                new IPEndPoint(request.RemoteIp, request.RemotePort));
            return new SetupSucceeded(channel, new NetDevice(device.Index, device.Name, device.Mac), local, carrier);
        }
        catch (SocketException ex)
        {
            return new SetupFailed($"cannot open a socket on {device.Name} {local}:{request.LocalPort}: {ex.SocketErrorCode}");
        }
    }

    private async Task<bool> WaitForCarrier(string name, TimeSpan timeout, CancellationToken cancel)
    {
        var deadline = _clock.GetTimestamp() + (long)(timeout.TotalSeconds * _clock.TimestampFrequency);
        while (!_devices.HasCarrier(name))
        {
            if (_clock.GetTimestamp() >= deadline) return false;
            await Task.Delay(CarrierPoll, _clock, cancel).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>The kernel takes the device's first address; for IPv6 a global one is preferred over link-local.</summary>
    private static IPAddress? FirstAddress(string name, AddressFamily family)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name);
        var addresses = nic?.GetIPProperties().UnicastAddresses.Select(u => u.Address)
            .Where(a => a.AddressFamily == family).ToList() ?? [];
        return addresses.FirstOrDefault(a => !a.IsIPv6LinkLocal) ?? addresses.FirstOrDefault();
    }
}
