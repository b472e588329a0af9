using System.Runtime.CompilerServices;

namespace Netoops.Collector.Ingest;

/// <summary>
/// A hash table from sender to value for the receive loops (sessions, rate-limit buckets): open
/// addressing with linear probing. Written here rather than using Dictionary so that the per-datagram
/// lookup is compiled optimised from the first datagram (AggressiveOptimization); the framework's
/// generic code for these key types waits for tiered compilation, which a saturated receive core
/// was seen to starve for many seconds. One owner, no locks.
/// </summary>
public sealed class SourceTable<TValue>
{
    private SourceAddress[] _keys;
    private TValue[] _values;
    private bool[] _used;
    private int _shift;

    public SourceTable(int capacity = 64)
    {
        var bits = Math.Max(4, 64 - (int)ulong.LeadingZeroCount((ulong)Math.Max(capacity * 2 - 1, 1)));
        _keys = new SourceAddress[1 << bits];
        _values = new TValue[1 << bits];
        _used = new bool[1 << bits];
        _shift = 64 - bits;
    }

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(in SourceAddress key, out TValue value)
    {
        var mask = _used.Length - 1;
        for (var i = Home(key); _used[i]; i = (i + 1) & mask)
        {
            if (_keys[i].Address == key.Address && _keys[i].Port == key.Port)
            {
                value = _values[i];
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>The value's slot, added with the default value when missing; valid until the next change to the table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref TValue GetValueRefOrAddDefault(in SourceAddress key, out bool existed)
    {
        if ((Count + 1) * 2 > _used.Length) Grow();
        var mask = _used.Length - 1;
        var i = Home(key);
        for (; _used[i]; i = (i + 1) & mask)
        {
            if (_keys[i].Address == key.Address && _keys[i].Port == key.Port)
            {
                existed = true;
                return ref _values[i];
            }
        }
        existed = false;
        _used[i] = true;
        _keys[i] = key;
        _values[i] = default!;
        Count++;
        return ref _values[i];
    }

    public void Set(in SourceAddress key, TValue value) => GetValueRefOrAddDefault(key, out _) = value;

    public bool Remove(in SourceAddress key)
    {
        var mask = _used.Length - 1;
        var i = Home(key);
        while (_used[i] && !(_keys[i].Address == key.Address && _keys[i].Port == key.Port)) i = (i + 1) & mask;
        if (!_used[i]) return false;
        // Backward shift: pull later entries of the probe run into the hole, so lookups never stop early.
        for (var j = (i + 1) & mask; _used[j]; j = (j + 1) & mask)
        {
            var home = Home(_keys[j]);
            var between = i <= j ? home > i && home <= j : home > i || home <= j;
            if (between) continue;
            _keys[i] = _keys[j];
            _values[i] = _values[j];
            i = j;
        }
        _used[i] = false;
        _keys[i] = default;
        _values[i] = default!;
        Count--;
        return true;
    }

    public void Clear()
    {
        Array.Clear(_used);
        Array.Clear(_keys);
        Array.Clear(_values);
        Count = 0;
    }

    /// <summary>A copy of the entries (for sweeps, which then remove some).</summary>
    public List<(SourceAddress Key, TValue Value)> ToList()
    {
        var entries = new List<(SourceAddress, TValue)>(Count);
        for (var i = 0; i < _used.Length; i++)
            if (_used[i]) entries.Add((_keys[i], _values[i]));
        return entries;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(in SourceAddress key)
    {
        var folded = (ulong)key.Address ^ (ulong)(key.Address >> 64) ^ ((ulong)key.Port << 48);
        return (int)((folded * 0x9E3779B97F4A7C15UL) >> _shift); // Fibonacci hashing: the top bits are well mixed
    }

    private void Grow()
    {
        var (keys, values, used) = (_keys, _values, _used);
        _keys = new SourceAddress[keys.Length * 2];
        _values = new TValue[keys.Length * 2];
        _used = new bool[keys.Length * 2];
        _shift--;
        Count = 0;
        for (var i = 0; i < used.Length; i++)
            if (used[i]) GetValueRefOrAddDefault(keys[i], out _) = values[i];
    }
}
