#pragma once

// For the walker's big arrays (tens of MB for a large CRL): asks Linux for transparent huge
// pages, which turns ~20 000 page faults into ~40. Measured: page faults were most of the
// walk's time on these machines. Small arrays and other systems use the ordinary allocator.

#include <cstddef>
#include <memory>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace trustscope::core::asn1 {

template <typename T> struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t hugePage = 2 * 1024 * 1024;

    HugePageAllocator() = default;
    template <typename U> HugePageAllocator(const HugePageAllocator<U> &) noexcept {}

    T *allocate(std::size_t count)
    {
        const std::size_t bytes = count * sizeof(T);
#ifdef __linux__
        if (bytes >= hugePage) {
            void *memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (memory == MAP_FAILED)
                throw std::bad_alloc();
            madvise(memory, bytes, MADV_HUGEPAGE); // advice only: failure is harmless
            return static_cast<T *>(memory);
        }
#endif
        return std::allocator<T>().allocate(count);
    }

    void deallocate(T *pointer, std::size_t count) noexcept
    {
#ifdef __linux__
        if (count * sizeof(T) >= hugePage) {
            munmap(pointer, count * sizeof(T));
            return;
        }
#endif
        std::allocator<T>().deallocate(pointer, count);
    }

    template <typename U> bool operator==(const HugePageAllocator<U> &) const noexcept { return true; }
};

} // namespace trustscope::core::asn1
