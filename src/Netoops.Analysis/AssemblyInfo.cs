using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Netoops.Analysis.Tests")]
[assembly: InternalsVisibleTo("Netoops.Benchmarks")]
